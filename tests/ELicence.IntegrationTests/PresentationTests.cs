using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ELicence.Core.Keys;
using ELicence.Core.Presentations;
using ELicence.Storage;
using ELicence.Jose;

namespace ELicence.IntegrationTests;

/// <summary>
/// SD-JWT VC presentations over HTTP: quick mode (the service's holder key) and wallet mode (the business's own key), each
/// checked by the independent sd-jwt-js library and by POST /api/v1/verifications, and every bad presentation refused with
/// a reason or a problem and no use recorded.
/// </summary>
[Collection(ServiceCollection.Name)]
public class PresentationTests(ServiceFixture service)
{
    private const string LegalRepresentative = "艾力·买买提";

    [Fact]
    public async Task An_agent_presents_to_a_bank_only_the_domicile_the_bank_verifies_it_once_and_a_replay_is_refused()
    {
        var code = await service.IssueAsync();
        var holder = await service.CreateHolderKeyAsync(code);

        var (status, made, response) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/presentations", holder, new { audience = service.VerifierId, disclose = new[] { "domicile" } });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var presentation = made.GetProperty("presentation").GetString()!;
        var nonce = made.GetProperty("nonce").GetString()!;
        Assert.Equal(["domicile"], made.GetProperty("disclosed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], made.GetProperty("qrPng").GetBytesFromBase64()[..4]);
        var independent = await SdJwtTool.VerifyAsync(await JwksAsync(), presentation, nonce, service.VerifierId);
        Assert.True(independent.Verified, independent.Error);
        Assert.Equal("dc+sd-jwt", independent.Result!.Value.GetProperty("header").GetProperty("typ").GetString());
        Assert.True(independent.Result.Value.GetProperty("payload").TryGetProperty("domicile", out _));
        Assert.False(independent.Result.Value.GetProperty("payload").TryGetProperty("legalRepresentative", out _));

        var (_, verified, verifiedResponse) = await VerifyAsync(presentation, nonce);
        var (_, replayed, _) = await VerifyAsync(presentation, nonce);

        Assert.True(verified.GetProperty("valid").GetBoolean());
        Assert.Equal("verified", verified.GetProperty("reasons")[0].GetProperty("code").GetString());
        Assert.False(verified.TryGetProperty("licence", out _));
        Assert.Equal(code, verified.GetProperty("presented").GetProperty("licence").GetProperty("creditCode").GetString());
        Assert.Equal("active", verified.GetProperty("presented").GetProperty("licence").GetProperty("status").GetString());
        Assert.Contains("阿图什市", verified.GetProperty("presented").GetProperty("claims").GetProperty("domicile").GetString());
        Assert.DoesNotContain(LegalRepresentative, await verifiedResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var receipt = await ReceiptClaimsAsync(verified);
        Assert.Equal("presentation", receipt.GetProperty("checked").GetProperty("kind").GetString());
        Assert.Equal(["domicile"], receipt.GetProperty("checked").GetProperty("disclosed").EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain(LegalRepresentative, receipt.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("帕米尔路", receipt.GetRawText(), StringComparison.Ordinal);
        Assert.False(replayed.GetProperty("valid").GetBoolean());
        Assert.Equal("replayed", replayed.GetProperty("reasons")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_quick_presentation_is_in_the_owners_usage_naming_the_agent_the_verifier_the_disclosed_claims_and_expiry_and_a_refused_one_is_not()
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);
        var agent = await Holders.HolderKeys.CreateAsync(service, owner, $"/api/v1/licences/{code}/agents", new { name = "王办事员", scopes = new[] { "present" }, expiresAt = DateTimeOffset.UtcNow.AddDays(7) });

        var refused = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/presentations", agent.Key, new { audience = "vrf_" + new string('0', 32), disclose = new[] { "domicile" } });
        var signer = await Holders.HolderKeys.CreateAsync(service, owner, $"/api/v1/licences/{code}/agents", new { name = "签章员", scopes = new[] { "sign" }, expiresAt = DateTimeOffset.UtcNow.AddDays(7) });
        var unscoped = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/presentations", signer.Key, new { audience = service.VerifierId });
        var (_, made, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/presentations", agent.Key, new { audience = service.VerifierId, disclose = new[] { "domicile", "registeredCapital" } });
        var (_, verified, _) = await VerifyAsync(made.GetProperty("presentation").GetString()!, made.GetProperty("nonce").GetString()!);

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("audience", refused.Body.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, unscoped.Status);
        Assert.True(verified.GetProperty("valid").GetBoolean());
        var items = await service.UsageAsync(code, owner, 2);
        Assert.Equal(["verification", "presentation"], items.Select(i => i.GetProperty("kind").GetString()));
        var presented = items[1];
        Assert.Equal("王办事员", presented.GetProperty("actorName").GetString());
        Assert.Equal(agent.KeyId, presented.GetProperty("actorId").GetString());
        Assert.Equal(service.VerifierId, presented.GetProperty("audience").GetString());
        Assert.Equal(["domicile", "registeredCapital"], presented.GetProperty("disclosed").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(made.GetProperty("expiresAt").GetDateTimeOffset(), presented.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.DoesNotContain("阿图什市", presented.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wallet_with_its_own_P256_key_gets_an_SD_JWT_VC_and_its_own_presentation_verifies_independently_and_at_the_service()
    {
        var code = await service.IssueAsync();
        var holder = await service.CreateHolderKeyAsync(code);
        using var wallet = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = wallet.ExportParameters(false);

        var (status, issued, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/sd-jwt-vcs", holder,
            new { jwk = new { kty = "EC", crv = "P-256", x = B64Url.Encode(p.Q.X), y = B64Url.Encode(p.Q.Y) } });

        Assert.Equal(HttpStatusCode.OK, status);
        var vc = issued.GetProperty("sdJwtVc").GetString()!;
        var alone = await SdJwtTool.VerifyAsync(await JwksAsync(), vc);
        Assert.True(alone.Verified, alone.Error);
        Assert.Equal(B64Url.Encode(p.Q.X), alone.Result!.Value.GetProperty("payload").GetProperty("cnf").GetProperty("jwk").GetProperty("x").GetString());
        Assert.Equal(6, issued.GetProperty("disclosures").GetArrayLength());

        var presentation = Presentations.Present(vc, ["legalRepresentative", "permits"], service.VerifierId, "bank-nonce-1", DateTimeOffset.UtcNow, Presentations.Es256(wallet));
        var independent = await SdJwtTool.VerifyAsync(await JwksAsync(), presentation, "bank-nonce-1", service.VerifierId);
        var (_, verified, _) = await VerifyAsync(presentation, "bank-nonce-1");

        Assert.True(independent.Verified, independent.Error);
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.GetRawText());
        Assert.Equal(LegalRepresentative, verified.GetProperty("presented").GetProperty("claims").GetProperty("legalRepresentative").GetString());
    }

    public static TheoryData<string, string> BadJwks => new()
    {
        { """{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cLXGOJ3e_Q7jNX_NyjqS_w"}""", "jwk.d" },
        { """{"kty":"EC","crv":"secp256k1","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}""", "jwk.crv" },
        { """{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a1"}""", "jwk.y" },
        { """{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHUR"}""", "jwk.x" },
        { """{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","alg":"ES256"}""", "jwk.alg" },
        { """{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","x5u":"https://evil.example/k"}""", "jwk.x5u" },
        { "\"not a key\"", "jwk" },
    };

    [Theory]
    [MemberData(nameof(BadJwks))]
    public async Task A_wallet_key_that_is_not_a_public_Ed25519_or_P256_JWK_is_a_400_naming_the_member(string jwk, string field)
    {
        var code = await service.IssueAsync();
        var holder = await service.CreateHolderKeyAsync(code);
        using var request = service.Request(HttpMethod.Post, $"/api/v1/licences/{code}/sd-jwt-vcs", holder);
        request.Content = Json.Raw($$"""{"jwk": {{jwk}}}""");

        using var response = await service.Http.SendAsync(request);
        var problem = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, problem.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task Quick_mode_refuses_an_audience_that_is_not_a_verifier_a_claim_it_does_not_know_and_a_holder_of_another_licence()
    {
        var code = await service.IssueAsync();
        var other = await service.IssueAsync();
        var holder = await service.CreateHolderKeyAsync(code);
        var path = $"/api/v1/licences/{code}/presentations";

        var notAVerifier = await service.SendAsync(HttpMethod.Post, path, holder, new { audience = "verifier_0000000000000000000000", disclose = Array.Empty<string>() });
        var registrarAsAudience = await service.SendAsync(HttpMethod.Post, path, holder, new { audience = "registrar:test" });
        var unknownClaim = await service.SendAsync(HttpMethod.Post, path, holder, new { audience = service.VerifierId, disclose = new[] { "domicile", "bankAccount" } });
        var anotherLicence = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{other}/presentations", holder, new { audience = service.VerifierId });
        var aVerifier = await service.SendAsync(HttpMethod.Post, path, service.VerifierKey, new { audience = service.VerifierId });

        Assert.Equal(HttpStatusCode.BadRequest, notAVerifier.Status);
        Assert.Equal("audience", notAVerifier.Body.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal("audience", registrarAsAudience.Body.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal("disclose[1]", unknownClaim.Body.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, anotherLicence.Status);
        Assert.Equal(HttpStatusCode.Forbidden, aVerifier.Status);
    }

    [Fact]
    public async Task Each_bad_presentation_gets_its_reason_and_records_no_use()
    {
        var code = await service.IssueAsync();
        var holder = await service.CreateHolderKeyAsync(code);
        var other = await service.IssueAsync();
        var otherHolder = await service.CreateHolderKeyAsync(other);
        var forOtherBank = await QuickAsync(code, holder, service.OtherVerifierId, "domicile");
        var good = await QuickAsync(code, holder, service.VerifierId, "domicile");
        var ofOtherLicence = await QuickAsync(other, otherHolder, service.VerifierId, "domicile", "legalRepresentative");
        var parts = good.Presentation.Split('~');
        var foreignDisclosure = ofOtherLicence.Presentation.Split('~')[1];
        var stranger = Ed25519.NewSeed();
        var cases = new (string Presentation, string Nonce, string Reason)[]
        {
            (forOtherBank.Presentation, forOtherBank.Nonce, "wrong-audience"),
            (string.Join('~', parts[0], foreignDisclosure, parts[1], parts[2]), good.Nonce, "disclosure-not-in-credential"),
            (string.Join('~', parts[0], Presentations.Tamper(parts[1]), parts[2]), good.Nonce, "disclosure-not-in-credential"),
            (Presentations.Present(parts[0] + "~" + parts[1] + "~", ["domicile"], service.VerifierId, good.Nonce, DateTimeOffset.UtcNow, Presentations.Ed25519Signer(stranger)), good.Nonce, "bad-key-binding"),
            (string.Join('~', ofOtherLicence.Presentation.Split('~')[0], parts[^1]), good.Nonce, "bad-key-binding"),
            (string.Join('~', parts[..^1]) + "~", good.Nonce, "key-binding-missing"),
            (good.Presentation, "not-the-nonce-given", "nonce-mismatch"),
        };
        var usesBefore = await UsesAsync();

        foreach (var (presentation, nonce, reason) in cases)
        {
            var (status, body, _) = await VerifyAsync(presentation, nonce);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.False(body.GetProperty("valid").GetBoolean(), reason);
            Assert.Equal(reason, body.GetProperty("reasons")[0].GetProperty("code").GetString());
        }

        Assert.Equal(usesBefore, await UsesAsync());
        Assert.True((await VerifyAsync(good.Presentation, good.Nonce)).Body.GetProperty("valid").GetBoolean());
        Assert.Equal(usesBefore + 1, await UsesAsync());
    }

    [Theory]
    [InlineData("""{"presentation": "no tildes here"}""", "presentation")]
    [InlineData("""{"presentation": "a.b.c~"}""", "presentation")]
    [InlineData("""{"presentation": "x~", "creditCode": "91653001MA0000015P"}""", "presentation")]
    [InlineData("""{"presentation": "x~", "nonce": ""}""", "nonce")]
    public async Task A_presentation_that_is_not_an_SD_JWT_is_a_400_naming_the_field_and_stores_nothing(string body, string field)
    {
        var before = await service.SnapshotAsync();
        using var request = service.Request(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey);
        request.Content = Json.Raw(body);

        using var response = await service.Http.SendAsync(request);
        var problem = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, problem.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(before.Receipts, (await service.SnapshotAsync()).Receipts);
    }

    private async Task<(string Presentation, string Nonce)> QuickAsync(string code, string holder, string audience, params string[] disclose)
    {
        var (status, body, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/presentations", holder, new { audience, disclose });
        Assert.Equal(HttpStatusCode.OK, status);
        return (body.GetProperty("presentation").GetString()!, body.GetProperty("nonce").GetString()!);
    }

    private Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> VerifyAsync(string presentation, string nonce) =>
        service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { presentation, nonce, purpose = "account-opening" });

    private async Task<JsonElement> ReceiptClaimsAsync(JsonElement verification) =>
        (await service.SendAsync(HttpMethod.Get, $"/api/v1/receipts/{verification.GetProperty("receipt").GetProperty("id").GetString()}", service.VerifierKey)).Body.GetProperty("claims");

    private async Task<string> JwksAsync() => await service.Http.GetStringAsync("/.well-known/jwks.json");

    private async Task<int> UsesAsync() => (await service.QueryAsync(StorageNames.PresentationUsesTable, "")).Count;
}

/// <summary>A presentation older than five minutes, on the lifecycle fixture's clock.</summary>
[Collection(LifecycleCollection.Name)]
public class PresentationAgeTests(LifecycleFixture service)
{
    [Fact]
    public async Task A_presentation_older_than_five_minutes_is_refused_as_expired_and_records_no_use()
    {
        var code = await service.IssueAsync();
        var holder = await service.CreateHolderKeyAsync(code);
        var (_, made, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/presentations", holder, new { audience = service.VerifierId });
        var presentation = made.GetProperty("presentation").GetString()!;
        var nonce = made.GetProperty("nonce").GetString()!;
        var uses = (await service.QueryAsync(StorageNames.PresentationUsesTable, "")).Count;

        service.Clock.Advance(PresentationChecker.MaxAge + TimeSpan.FromSeconds(1));
        var (_, late, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { presentation, nonce });

        Assert.False(late.GetProperty("valid").GetBoolean());
        Assert.Equal("presentation-expired", late.GetProperty("reasons")[0].GetProperty("code").GetString());
        Assert.Equal(uses, (await service.QueryAsync(StorageNames.PresentationUsesTable, "")).Count);
    }
}

/// <summary>What a wallet does on its device: choose disclosures and sign a key-binding JWT (RFC 9901 §4.3).</summary>
internal static class Presentations
{
    public static string Present(string sdJwtVc, IReadOnlyCollection<string> names, string audience, string nonce, DateTimeOffset at, (string Alg, Func<byte[], byte[]> Sign) signer)
    {
        SdJwt.TrySplit(sdJwtVc, out var parts, out _);
        var chosen = parts!.Disclosures.Where(d => Disclosure.TryParse(d, out var parsed, out _) && names.Contains(parsed.Name)).ToList();
        var presented = parts with { Disclosures = chosen, KeyBindingJwt = null };
        var header = B64Url.Encode(Encoding.UTF8.GetBytes(new JsonObject { ["alg"] = signer.Alg, ["typ"] = "kb+jwt" }.ToJsonString()));
        var payload = B64Url.Encode(Encoding.UTF8.GetBytes(new JsonObject { ["iat"] = at.ToUnixTimeSeconds(), ["aud"] = audience, ["nonce"] = nonce, ["sd_hash"] = SdJwt.SdHash(presented) }.ToJsonString()));
        var signingInput = header + "." + payload;
        return presented.WithoutKeyBinding + signingInput + "." + B64Url.Encode(signer.Sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    public static (string, Func<byte[], byte[]>) Es256(ECDsa key) => ("ES256", data => key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    public static (string, Func<byte[], byte[]>) Ed25519Signer(byte[] seed) => ("EdDSA", data => Ed25519.Sign(seed, data));

    /// <summary>The same disclosure with its value changed and its encoding redone.</summary>
    public static string Tamper(string disclosure)
    {
        B64Url.TryDecode(disclosure, out var bytes);
        var array = JsonNode.Parse(bytes)!.AsArray();
        array[2] = "新疆乌鲁木齐市某路 1 号";
        return B64Url.Encode(Encoding.UTF8.GetBytes(array.ToJsonString()));
    }
}
