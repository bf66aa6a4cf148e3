using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ELicence.Core.Keys;
using ELicence.Core.Presentations;
using ELicence.Jose;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ELicence.IntegrationTests;

/// <summary>
/// What a wallet and a bank's own software make of what the service signs, with libraries this project did not write:
/// Microsoft.IdentityModel with the JWKS alone (ES256), OpenSSL with the published root (the x5c chain), and
/// @sd-jwt/sd-jwt-vc with @sd-jwt/jwt-status-list (the SD-JWT VC, its Token Status List entry and its type metadata).
/// </summary>
[Collection(ServiceCollection.Name)]
public class WalletCredentialTests(ServiceFixture service)
{
    private const string IssuerId = "http://localhost:7071"; // Issuer:Id of the test host (its default)

    [Fact]
    public async Task Microsoft_IdentityModel_validates_an_ES256_SD_JWT_VC_and_an_ES256_receipt_with_nothing_but_the_JWKS()
    {
        var code = await service.IssueAsync();
        var holder = await service.CreateHolderKeyAsync(code);
        using var wallet = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var vc = await IssueWalletCopyAsync(code, holder, wallet);
        var (_, verified, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { credential = await CredentialAsync(code), purpose = "account-opening" });
        var receiptId = verified.GetProperty("receipt").GetProperty("id").GetString()!;
        using var receiptRequest = service.Request(HttpMethod.Get, $"/api/v1/receipts/{receiptId}?alg=ES256", service.VerifierKey);
        receiptRequest.Headers.Accept.ParseAdd("application/jwt");
        var receipt = await (await service.Http.SendAsync(receiptRequest)).Content.ReadAsStringAsync();

        var keys = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(await service.Http.GetStringAsync("/.well-known/jwks.json")).GetSigningKeys();
        var handler = new JsonWebTokenHandler();
        var credentialCheck = await handler.ValidateTokenAsync(vc.Split('~')[0], Parameters(keys, "dc+sd-jwt"));
        var receiptCheck = await handler.ValidateTokenAsync(receipt, Parameters(keys, "receipt+jwt"));

        Assert.True(credentialCheck.IsValid, credentialCheck.Exception?.Message);
        Assert.Equal("ES256", ((JsonWebToken)credentialCheck.SecurityToken).Alg);
        Assert.Equal(code, credentialCheck.Claims["creditCode"]);
        Assert.True(receiptCheck.IsValid, receiptCheck.Exception?.Message);
        Assert.Equal(receiptId, ((JsonWebToken)receiptCheck.SecurityToken).Id);
        Assert.Equal(HttpStatusCode.BadRequest, (await service.SendAsync(HttpMethod.Get, $"/api/v1/receipts/{receiptId}?alg=HS256", service.VerifierKey)).Status);
    }

    [Fact]
    public async Task OpenSSL_verifies_the_x5c_chain_of_every_ES256_key_of_the_JWKS_to_the_published_root()
    {
        var der = await service.Http.GetAsync("/api/v1/pki/root.crt");
        var pem = await service.Http.GetAsync("/api/v1/pki/root.crt?format=pem");
        var jwks = JsonDocument.Parse(await service.Http.GetStringAsync("/.well-known/jwks.json")).RootElement;

        Assert.Equal("application/pkix-cert", der.Content.Headers.ContentType?.MediaType);
        Assert.Equal("application/x-pem-file", pem.Content.Headers.ContentType?.MediaType);
        using var root = X509CertificateLoader.LoadCertificate(await der.Content.ReadAsByteArrayAsync());
        Assert.Equal(root.Subject, root.Issuer);
        var es256 = jwks.GetProperty("keys").EnumerateArray().Where(k => k.GetProperty("alg").GetString() == "ES256").ToList();
        Assert.NotEmpty(es256);
        var dir = Directory.CreateTempSubdirectory("elicence-pki");
        try
        {
            var rootFile = Path.Combine(dir.FullName, "root.pem");
            await File.WriteAllTextAsync(rootFile, await pem.Content.ReadAsStringAsync());
            foreach (var key in es256)
            {
                var chain = key.GetProperty("x5c").EnumerateArray().Select(c => c.GetString()!).ToList();
                Assert.Equal(2, chain.Count);
                var leaf = Path.Combine(dir.FullName, "leaf.pem");
                var issuing = Path.Combine(dir.FullName, "issuing.pem");
                await File.WriteAllTextAsync(leaf, PemEncoding.WriteString("CERTIFICATE", Convert.FromBase64String(chain[0])));
                await File.WriteAllTextAsync(issuing, PemEncoding.WriteString("CERTIFICATE", Convert.FromBase64String(chain[1])));

                var (exit, output, error) = await ExternalProcess.RunAsync("openssl", ["verify", "-x509_strict", "-purpose", "any", "-CAfile", rootFile, "-untrusted", issuing, leaf]);
                var (_, text, _) = await ExternalProcess.RunAsync("openssl", ["x509", "-in", leaf, "-noout", "-ext", "keyUsage,basicConstraints,subjectAltName"]);

                Assert.True(exit == 0, output + error);
                Assert.Contains(": OK", output, StringComparison.Ordinal);
                Assert.Contains("Digital Signature", text, StringComparison.Ordinal);
                Assert.Contains("CA:FALSE", text, StringComparison.Ordinal);
                Assert.Contains("URI:" + IssuerId, text, StringComparison.Ordinal);
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task sd_jwt_vc_verifies_a_wallet_copy_with_its_token_status_and_type_metadata_and_reads_it_suspended_then_revoked()
    {
        var code = await service.IssueAsync();
        var holder = await service.CreateHolderKeyAsync(code);
        using var wallet = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var vc = await IssueWalletCopyAsync(code, holder, wallet);

        var valid = await StatusOfAsync(vc, 0);
        var payload = valid.GetProperty("payload");
        Assert.Equal(("ES256", "dc+sd-jwt"), (valid.GetProperty("header").GetProperty("alg").GetString(), valid.GetProperty("header").GetProperty("typ").GetString()));
        Assert.Equal(2, valid.GetProperty("header").GetProperty("x5c").GetArrayLength());
        Assert.StartsWith(IssuerId + "/api/v1/token-status-lists/", payload.GetProperty("status").GetProperty("status_list").GetProperty("uri").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, payload.GetProperty("name").ValueKind); // plain JSON values, not JSON-LD language arrays
        Assert.Equal(JsonValueKind.String, payload.GetProperty("domicile").ValueKind);
        var metadata = valid.GetProperty("typeMetadata");
        Assert.Equal(payload.GetProperty("vct").GetString(), metadata.GetProperty("vct").GetString());
        Assert.Equal(["zh-CN", "en"], metadata.GetProperty("display").EnumerateArray().Select(d => d.GetProperty("locale").GetString()));
        Assert.Contains(metadata.GetProperty("claims").EnumerateArray(), c => c.GetProperty("path")[0].GetString() == "domicile" && c.GetProperty("sd").GetString() == "always");
        var issuerMetadata = JsonDocument.Parse(await service.Http.GetStringAsync("/.well-known/jwt-vc-issuer")).RootElement;
        Assert.Equal(IssuerId, issuerMetadata.GetProperty("issuer").GetString());
        Assert.Equal(IssuerId + "/.well-known/jwks.json", issuerMetadata.GetProperty("jwks_uri").GetString());

        await ActAsync(code, "suspension", new { reasonCode = "unreachable-at-domicile", reason = "通过登记的住所无法联系" });
        await StatusOfAsync(vc, 2);
        await ELicence.IntegrationTests.Documents.ServiceCalls.RevokeWithApprovalAsync(service, code, new { reason = "虚假登记" });
        await StatusOfAsync(vc, 1);
    }

    [Fact]
    public async Task A_removed_agents_wallet_copy_no_longer_verifies_and_the_offline_token_status_list_reads_it_invalid()
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);
        var agent = await Holders.HolderKeys.CreateAsync(service, owner, $"/api/v1/licences/{code}/agents", new { name = "王办事员", scopes = new[] { "present" }, expiresAt = DateTimeOffset.UtcNow.AddDays(7) });
        var other = await Holders.HolderKeys.CreateAsync(service, owner, $"/api/v1/licences/{code}/agents", new { name = "李办事员", scopes = new[] { "present" }, expiresAt = DateTimeOffset.UtcNow.AddDays(7) });
        using var agentWallet = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherWallet = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var agentCopy = await IssueWalletCopyAsync(code, agent.Key, agentWallet);
        var otherCopy = await IssueWalletCopyAsync(code, other.Key, otherWallet);
        var before = await VerifyPresentationAsync(agentCopy, agentWallet, "nonce-before");
        Assert.True(before.GetProperty("valid").GetBoolean(), before.GetRawText());

        var (removed, _, _) = await service.SendAsync(HttpMethod.Delete, $"/api/v1/licences/{code}/holder-keys/{agent.KeyId}", owner);
        var after = await VerifyPresentationAsync(agentCopy, agentWallet, "nonce-after");
        var untouched = await VerifyPresentationAsync(otherCopy, otherWallet, "nonce-other");

        Assert.Equal(HttpStatusCode.OK, removed);
        Assert.False(after.GetProperty("valid").GetBoolean());
        Assert.Contains(after.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "revoked");
        Assert.True(untouched.GetProperty("valid").GetBoolean(), untouched.GetRawText());
        var entry = JsonDocument.Parse(Convert.FromBase64String(ToPadded(agentCopy.Split('.')[1]))).RootElement.GetProperty("status").GetProperty("status_list");
        var otherEntry = JsonDocument.Parse(Convert.FromBase64String(ToPadded(otherCopy.Split('.')[1]))).RootElement.GetProperty("status").GetProperty("status_list");
        var offline = await Eventually.PollAsync(
            () => OfflineStatusesAsync(entry.GetProperty("uri").GetString()!, entry.GetProperty("idx").GetInt32(), otherEntry.GetProperty("idx").GetInt32()),
            s => s[0] == 1,
            "INVALID in the published token status list");
        Assert.Equal([1, 0], offline);
    }

    private async Task<string> IssueWalletCopyAsync(string code, string holder, ECDsa wallet)
    {
        var p = wallet.ExportParameters(false);
        var (status, issued, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/sd-jwt-vcs", holder,
            new { jwk = new { kty = "EC", crv = "P-256", x = B64Url.Encode(p.Q.X), y = B64Url.Encode(p.Q.Y) } });
        Assert.True(status == HttpStatusCode.OK, issued.GetRawText());
        return issued.GetProperty("sdJwtVc").GetString()!;
    }

    private async Task<JsonElement> VerifyPresentationAsync(string vc, ECDsa wallet, string nonce)
    {
        var presentation = Presentations.Present(vc, ["domicile"], service.VerifierId, nonce, DateTimeOffset.UtcNow, Presentations.Es256(wallet));
        var (status, verified, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { presentation, nonce });
        Assert.Equal(HttpStatusCode.OK, status);
        return verified;
    }

    /// <summary>The statuses at these indices of the published list, read by check-token-status.mjs with the JWKS alone.</summary>
    private async Task<int[]> OfflineStatusesAsync(string uri, params int[] indices)
    {
        var list = await service.Http.GetStringAsync(new Uri(uri).PathAndQuery);
        var read = await NodeTool.RunAsync("tests/tools/check-token-status.mjs", await service.Http.GetStringAsync("/.well-known/jwks.json"), list, [.. indices.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        Assert.True(read.Verified, read.Error);
        return [.. read.Result!.Value.GetProperty("statuses").EnumerateArray().Select(s => s.GetInt32())];
    }

    /// <summary>verify-sd-jwt-vc.mjs, until the status it reads is <paramref name="expected"/> (the lists follow a change within seconds).</summary>
    private async Task<JsonElement> StatusOfAsync(string vc, int expected)
    {
        var jwks = await service.Http.GetStringAsync("/.well-known/jwks.json");
        var result = await Eventually.PollAsync(
            () => NodeTool.RunAsync("tests/tools/verify-sd-jwt-vc.mjs", jwks, vc, [service.Http.BaseAddress!.ToString(), IssuerId]),
            r => !r.Verified || r.Result!.Value.GetProperty("status").GetInt32() == expected,
            $"status {expected}");
        Assert.True(result.Verified, result.Error);
        return result.Result!.Value;
    }

    private async Task ActAsync(string code, string action, object body)
    {
        var (status, result, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/{action}", service.RegistrarKey, body);
        Assert.True(status == HttpStatusCode.OK, result.GetRawText());
    }

    private async Task<string> CredentialAsync(string code) =>
        await (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/credential", service.RegistrarKey)).Response.Content.ReadAsStringAsync();

    private static TokenValidationParameters Parameters(IList<SecurityKey> keys, string type) => new()
    {
        IssuerSigningKeys = keys,
        ValidIssuer = IssuerId,
        ValidateAudience = false,
        ValidTypes = [type],
        ValidateLifetime = true,
        RequireExpirationTime = false, // an open operating term has no exp, nor has a receipt
    };

    private static string ToPadded(string base64Url)
    {
        var text = base64Url.Replace('-', '+').Replace('_', '/');
        return text + new string('=', (4 - (text.Length % 4)) % 4);
    }
}
