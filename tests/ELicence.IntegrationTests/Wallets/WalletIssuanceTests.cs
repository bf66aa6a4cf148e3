using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace ELicence.IntegrationTests.Wallets;

/// <summary>
/// OpenID4VCI 1.0 against the real host: a standard wallet library (@openid4vc/openid4vci, OpenWallet Foundation) redeems an
/// offer and receives key-bound SD-JWT VCs that sd-jwt-js verifies; wrong codes, bad proofs and replays are refused with
/// the protocol's errors, and nothing refused is issued or recorded.
/// </summary>
[Collection(WalletCollection.Name)]
public class WalletIssuanceTests(WalletFixture service)
{
    [Fact]
    public async Task A_standard_wallet_redeems_an_offer_with_its_tx_code_and_receives_one_bound_copy_per_key_in_one_request()
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);
        var (status, offer, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/credential-offers", owner);
        Assert.Equal(HttpStatusCode.Created, status);
        var link = offer.GetProperty("credentialOffer").GetString()!;
        Assert.StartsWith("openid-credential-offer://?credential_offer_uri=", link, StringComparison.Ordinal);
        Assert.Matches("^[0-9]{6}$", offer.GetProperty("txCode").GetString()!);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], offer.GetProperty("qrPng").GetBytesFromBase64()[..4]);

        var wallet = await WalletAsync(link, offer.GetProperty("txCode").GetString()!, "ES256,EdDSA,ES256");

        Assert.Equal(service.Issuer, wallet.GetProperty("credentialIssuer").GetString());
        Assert.Equal("dc+sd-jwt", wallet.GetProperty("format").GetString());
        Assert.True(wallet.GetProperty("notified").GetBoolean());
        var credentials = wallet.GetProperty("credentials").EnumerateArray().Select(c => c.GetString()!).ToList();
        var keys = wallet.GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(3, credentials.Count);
        var jwks = await (await service.Http.GetAsync("/.well-known/jwks.json")).Content.ReadAsStringAsync();
        for (var i = 0; i < credentials.Count; i++)
        {
            var checkedByLibrary = await SdJwtTool.VerifyAsync(jwks, credentials[i]);
            Assert.True(checkedByLibrary.Verified, checkedByLibrary.Error);
            var cnf = checkedByLibrary.Result!.Value.GetProperty("payload").GetProperty("cnf").GetProperty("jwk");
            Assert.Equal(keys[i].GetProperty("x").GetString(), cnf.GetProperty("x").GetString());
            Assert.Equal(code, checkedByLibrary.Result.Value.GetProperty("payload").GetProperty("creditCode").GetString());
        }

        var (_, usage, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/usage", owner);
        Assert.Equal(3, usage.GetProperty("items").EnumerateArray().Count(u => u.GetProperty("document").ValueKind == JsonValueKind.String && u.GetProperty("document").GetString() == "openid4vci"));

        var again = await ExternalProcess.RunScriptAsync("openid4vci-wallet.mjs", link, offer.GetProperty("txCode").GetString()!, "ES256");
        Assert.NotEqual(0, again.ExitCode); // single use: the offer is gone once redeemed
    }

    [Fact]
    public async Task Wrong_tx_codes_are_invalid_grant_and_after_five_the_right_one_is_refused_too()
    {
        var (code, owner, offer) = await OfferAsync();
        var preAuthorized = await PreAuthorizedCodeAsync(offer);
        var right = offer.GetProperty("txCode").GetString()!;
        var wrong = right == "000000" ? "111111" : "000000";

        for (var i = 0; i < 5; i++)
        {
            var (status, error) = await TokenAsync(preAuthorized, wrong);
            Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (status, error.GetProperty("error").GetString()));
        }

        var (lockedStatus, locked) = await TokenAsync(preAuthorized, right);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (lockedStatus, locked.GetProperty("error").GetString()));
        Assert.Equal(0, await WalletUsesAsync(code, owner));
    }

    [Fact]
    public async Task A_pre_authorized_code_redeemed_twice_at_once_gives_exactly_one_access_token()
    {
        var (_, _, offer) = await OfferAsync();
        var preAuthorized = await PreAuthorizedCodeAsync(offer);
        var tx = offer.GetProperty("txCode").GetString()!;

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => TokenAsync(preAuthorized, tx)));

        Assert.Single(results, r => r.Status == HttpStatusCode.OK);
        Assert.All(results.Where(r => r.Status != HttpStatusCode.OK), r => Assert.Equal("invalid_grant", r.Body.GetProperty("error").GetString()));
        var (unknownStatus, unknown) = await TokenAsync("vco_AAAAAAAAAAAAAAAAAAAAAA.x", tx);
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_grant"), (unknownStatus, unknown.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task Bad_key_proofs_are_refused_with_the_protocol_error_and_nothing_is_issued_until_a_good_one()
    {
        var (code, owner, offer) = await OfferAsync();
        var (tokenStatus, token) = await TokenAsync(await PreAuthorizedCodeAsync(offer), offer.GetProperty("txCode").GetString()!);
        Assert.Equal(HttpStatusCode.OK, tokenStatus);
        var accessToken = token.GetProperty("access_token").GetString()!;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var nonce = await NonceAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var refused = new (string Why, string Proof, string Error)[]
        {
            ("alg none", Unsigned(Header(key, "none"), Payload(service.Issuer, now, nonce)), "invalid_proof"),
            ("private key in jwk", Proof(key, Payload(service.Issuer, now, nonce), withPrivateKey: true), "invalid_proof"),
            ("wrong typ", Proof(key, Payload(service.Issuer, now, nonce), typ: "JWT"), "invalid_proof"),
            ("wrong audience", Proof(key, Payload("https://other.example", now, nonce)), "invalid_proof"),
            ("stale iat", Proof(key, Payload(service.Issuer, now - 3600, nonce)), "invalid_proof"),
            ("unknown nonce", Proof(key, Payload(service.Issuer, now, "not-a-nonce-of-this-issuer")), "invalid_nonce"),
            ("signed by another key", Proof(key, Payload(service.Issuer, now, nonce), signer: ECDsa.Create(ECCurve.NamedCurves.nistP256)), "invalid_proof"),
        };
        foreach (var (why, proof, error) in refused)
        {
            var (status, body) = await CredentialAsync(accessToken, proof);
            Assert.True(status == HttpStatusCode.BadRequest && body.GetProperty("error").GetString() == error, $"{why}: {status} {body}");
        }

        var (badTokenStatus, badToken, badTokenResponse) = await CredentialWithResponseAsync("not-a-token", Proof(key, Payload(service.Issuer, now, nonce)));
        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_token"), (badTokenStatus, badToken.GetProperty("error").GetString()));
        Assert.Contains("invalid_token", badTokenResponse.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await WalletUsesAsync(code, owner));

        var (okStatus, ok) = await CredentialAsync(accessToken, Proof(key, Payload(service.Issuer, now, nonce)));
        Assert.Equal(HttpStatusCode.OK, okStatus);
        Assert.Single(ok.GetProperty("credentials").EnumerateArray());
        Assert.Equal(1, await WalletUsesAsync(code, owner));

        var (replayStatus, replay) = await CredentialAsync(accessToken, Proof(key, Payload(service.Issuer, now, nonce)));
        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_token"), (replayStatus, replay.GetProperty("error").GetString()));
        Assert.Equal(1, await WalletUsesAsync(code, owner));
    }

    [Fact]
    public async Task A_nonce_is_good_for_one_request_and_an_oversized_body_is_refused()
    {
        var (_, _, first) = await OfferAsync();
        var (_, _, second) = await OfferAsync();
        var tokenA = (await TokenAsync(await PreAuthorizedCodeAsync(first), first.GetProperty("txCode").GetString()!)).Body.GetProperty("access_token").GetString()!;
        var tokenB = (await TokenAsync(await PreAuthorizedCodeAsync(second), second.GetProperty("txCode").GetString()!)).Body.GetProperty("access_token").GetString()!;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var nonce = await NonceAsync();
        var proof = Proof(key, Payload(service.Issuer, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), nonce));

        Assert.Equal(HttpStatusCode.OK, (await CredentialAsync(tokenA, proof)).Status);
        var (status, body) = await CredentialAsync(tokenB, proof);

        Assert.Equal((HttpStatusCode.BadRequest, "invalid_nonce"), (status, body.GetProperty("error").GetString()));
        using var huge = new HttpRequestMessage(HttpMethod.Post, "/openid4vci/credential") { Content = Json.Raw("{\"x\":\"" + new string('a', 70_000) + "\"}") };
        huge.Headers.Authorization = new("Bearer", tokenB);
        using var hugeResponse = await service.Http.SendAsync(huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, hugeResponse.StatusCode);
        Assert.Equal("invalid_request", (await Json.ReadAsync(hugeResponse)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_agent_without_the_download_scope_may_not_make_an_offer()
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);
        var agent = await Holders.HolderKeys.CreateAsync(service, owner, $"/api/v1/licences/{code}/agents", new { name = "出示员", scopes = new[] { "present" }, expiresAt = DateTimeOffset.UtcNow.AddDays(30) });

        var (status, problem, response) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/credential-offers", agent.Key);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("download", problem.GetProperty("missingScope").GetString());
    }

    private async Task<JsonElement> WalletAsync(string link, string txCode, string algs)
    {
        var (exit, output, error) = await ExternalProcess.RunScriptAsync("openid4vci-wallet.mjs", link, txCode, algs);
        Assert.True(exit == 0, error);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private async Task<(string Code, string Owner, JsonElement Offer)> OfferAsync()
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);
        var (status, offer, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/credential-offers", owner);
        Assert.Equal(HttpStatusCode.Created, status);
        return (code, owner, offer);
    }

    private async Task<string> PreAuthorizedCodeAsync(JsonElement offer)
    {
        var link = offer.GetProperty("credentialOffer").GetString()!;
        var uri = Uri.UnescapeDataString(link[(link.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        var resolved = await Json.ReadAsync(await service.Http.GetAsync(new Uri(uri)));
        return resolved.GetProperty("grants").GetProperty("urn:ietf:params:oauth:grant-type:pre-authorized_code").GetProperty("pre-authorized_code").GetString()!;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> TokenAsync(string preAuthorizedCode, string txCode)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:pre-authorized_code",
            ["pre-authorized_code"] = preAuthorizedCode,
            ["tx_code"] = txCode,
        });
        using var response = await service.Http.PostAsync(new Uri("/openid4vci/token", UriKind.Relative), form);
        return (response.StatusCode, await Json.ReadAsync(response));
    }

    private async Task<string> NonceAsync()
    {
        using var response = await service.Http.PostAsync(new Uri("/openid4vci/nonce", UriKind.Relative), null);
        return (await Json.ReadAsync(response)).GetProperty("c_nonce").GetString()!;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> CredentialAsync(string accessToken, string proof)
    {
        var (status, body, response) = await CredentialWithResponseAsync(accessToken, proof);
        response.Dispose();
        return (status, body);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> CredentialWithResponseAsync(string accessToken, string proof)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/openid4vci/credential")
        {
            Content = JsonContent.Create(new JsonObject { ["credential_configuration_id"] = "business_licence_sd_jwt_vc", ["proofs"] = new JsonObject { ["jwt"] = new JsonArray(proof) } }),
        };
        request.Headers.Authorization = new("Bearer", accessToken);
        var response = await service.Http.SendAsync(request);
        return (response.StatusCode, await Json.ReadAsync(response), response);
    }

    private async Task<int> WalletUsesAsync(string code, string owner)
    {
        var (_, usage, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/usage", owner);
        return usage.GetProperty("items").EnumerateArray().Count(u => u.TryGetProperty("document", out var d) && d.ValueKind == JsonValueKind.String && d.GetString() == "openid4vci");
    }

    private static JsonObject Payload(string audience, long iat, string nonce) => new() { ["aud"] = audience, ["iat"] = iat, ["nonce"] = nonce };

    private static JsonObject Header(ECDsa key, string alg, string typ = "openid4vci-proof+jwt", bool withPrivateKey = false)
    {
        var p = key.ExportParameters(withPrivateKey);
        var jwk = new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64Url.EncodeToString(p.Q.X), ["y"] = Base64Url.EncodeToString(p.Q.Y) };
        if (withPrivateKey)
        {
            jwk["d"] = Base64Url.EncodeToString(p.D);
        }

        return new JsonObject { ["typ"] = typ, ["alg"] = alg, ["jwk"] = jwk };
    }

    private static string Proof(ECDsa key, JsonObject payload, string typ = "openid4vci-proof+jwt", bool withPrivateKey = false, ECDsa? signer = null)
    {
        var input = Unsigned(Header(key, "ES256", typ, withPrivateKey), payload).TrimEnd('.');
        var signature = (signer ?? key).SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return input + "." + Base64Url.EncodeToString(signature);
    }

    private static string Unsigned(JsonObject header, JsonObject payload) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString())) + ".";
}
