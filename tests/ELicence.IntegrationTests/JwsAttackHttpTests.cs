using System.Net.Sockets;
using ELicence.Core.Credentials;
using ELicence.Core.Keys;
using ELicence.Core.StatusLists;
using ELicence.Testing;
using ELicence.Jose;

namespace ELicence.IntegrationTests;

/// <summary>
/// A representative subset of the JWS attack suite (ELicence.Core.UnitTests/JwsAttackTests) over HTTP: each hostile
/// credential sent to POST /api/v1/verifications gets a 200 with <c>valid: false</c>, its reason code and a receipt,
/// or a 400 validation problem on <c>credential</c>; never a 500, never a fetch of a URL named in the token.
/// </summary>
[Collection(ServiceCollection.Name)]
public class JwsAttackHttpTests(ServiceFixture service)
{
    private const string Refused = "400";

    private static readonly Dictionary<string, (Func<SigningKey, string, string> Token, string Expected)> Cases = new()
    {
        ["genuine (control)"] = ((k, g) => g, "verified"),
        ["alg none"] = ((k, g) => Forge.Token(Forge.Header(k.KeyId, alg: "none"), Forge.PayloadOf(g), []), "unsupported-algorithm"),
        ["alg HS256 keyed with the JWK x"] = ((k, g) => Forge.Hs256(Forge.Header(k.KeyId, alg: "HS256"), Forge.PayloadOf(g), k.PublicKey), "unsupported-algorithm"),
        ["kid path traversal"] = ((k, g) => Forge.Resigned(k, g, Forge.Header("../../keys/keyring.json")), "unknown-key"),
        ["kid OData quotes"] = ((k, g) => Forge.Resigned(k, g, Forge.Header("' or PartitionKey ne '")), "unknown-key"),
        ["kid 10 KB"] = ((k, g) => Forge.Resigned(k, g, Forge.Header(new string('k', 10_240))), "unknown-key"),
        ["payload tampered"] = ((k, g) => Forge.WithPayload(g, Encoding.UTF8.GetString(Forge.PayloadOf(g)).Replace("攻防测试", "假冒", StringComparison.Ordinal)), "bad-signature"),
        ["signature with S + L"] = ((k, g) => Forge.WithSignature(g, Forge.AddToS(Forge.SignatureOf(g), Forge.L)), "bad-signature"),
        ["signature of 63 bytes"] = ((k, g) => Forge.WithSignature(g, Forge.SignatureOf(g)[..63]), "bad-signature"),
        ["signature of 128 bytes"] = ((k, g) => Forge.WithSignature(g, [.. Forge.SignatureOf(g), .. Forge.SignatureOf(g)]), "bad-signature"),
        ["typ JWT re-signed by the service's key"] = ((k, g) => Forge.Resigned(k, g, Forge.Header(k.KeyId, typ: "JWT")), "not-a-licence-credential"),
        ["exactly CompactJws.MaxLength"] = ((k, g) => Forge.AtLength(k, g, CompactJws.MaxLength), "credential-not-issued"),
        ["crit"] = ((k, g) => Forge.Resigned(k, g, Forge.Header(k.KeyId, extra: ""","crit":["exp"],"exp":1""")), Refused),
        ["b64 false"] = ((k, g) => Forge.Resigned(k, g, Forge.Header(k.KeyId, extra: ""","b64":false,"crit":["b64"]""")), Refused),
        ["embedded jwk"] = ((k, g) => Forge.Resigned(k, g, Forge.Header(k.KeyId, extra: $$""","jwk":{"kty":"OKP","crv":"Ed25519","x":"{{B64Url.Encode(k.PublicKey)}}"}""")), Refused),
        ["two alg"] = ((k, g) => Forge.Resigned(k, g, $$"""{"alg":"none","alg":"EdDSA","kid":"{{k.KeyId}}","typ":"vc+jwt"}"""), Refused),
        ["header an array"] = ((k, g) => Forge.Resigned(k, g, "[]"), Refused),
        ["header of invalid UTF-8"] = ((k, g) => $"{B64Url.Encode([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D])}.{g.Split('.')[1]}.{g.Split('.')[2]}", Refused),
        ["signature with trailing bits set"] = ((k, g) => Forge.WithRawPart(g, 2, Forge.WithTrailingBits(g.Split('.')[2])), Refused),
        ["a space inside the signature"] = ((k, g) => g[..^10] + " " + g[^10..], Refused),
        ["signature padded"] = ((k, g) => g + "==", Refused),
        ["four parts"] = ((k, g) => g + ".", Refused),
        ["longer than CompactJws.MaxLength"] = ((k, g) => Forge.AtLength(k, g, CompactJws.MaxLength + 1), Refused),
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task A_hostile_credential_gets_its_stated_answer_over_HTTP(string name)
    {
        var (key, genuine) = await GenuineCredentialAsync();
        var (make, expected) = Cases[name];

        var (status, body, response) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { credential = make(key, genuine) });

        if (expected == Refused)
        {
            Assert.True(status == HttpStatusCode.BadRequest, $"{name}: {(int)status} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("urn:elicence:problem:validation", body.GetProperty("type").GetString());
            Assert.Equal("credential", body.GetProperty("errors")[0].GetProperty("field").GetString());
            return;
        }

        Assert.True(status == HttpStatusCode.OK, $"{name}: {(int)status} {body}");
        Assert.Equal(expected == "verified", body.GetProperty("valid").GetBoolean());
        Assert.Contains(expected, body.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()));
        Assert.StartsWith("rcpt_", body.GetProperty("receipt").GetProperty("id").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("jku")]
    [InlineData("x5u")]
    public async Task A_key_URL_in_the_header_is_refused_and_never_fetched(string parameter)
    {
        var (key, genuine) = await GenuineCredentialAsync();
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var fetched = listener.GetContextAsync();
        // The attacker signs with its own key and points at where that key "is"; the service must not look.
        var attacker = SigningKey.Create(DateTimeOffset.UtcNow);
        var token = Forge.Resigned(attacker, genuine, Forge.Header(attacker.KeyId, extra: $$""","{{parameter}}":"http://127.0.0.1:{{port}}/keys" """));

        var (status, _, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { credential = token });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(fetched.IsCompleted, $"The service fetched the {parameter} URL named in a token.");
    }

    [Fact]
    public async Task A_receipt_and_a_status_list_credential_are_not_licence_credentials()
    {
        var (key, genuine) = await GenuineCredentialAsync();
        var (_, verification, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { credential = genuine });
        var receipt = verification.GetProperty("receipt").GetProperty("jws").GetString()!;
        var statusList = StatusListCredentials.Sign(service.Services.GetRequiredService<IssuerOptions>(), StatusPurpose.Revocation, 0, new BitstringStatusList(), TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow, key);

        foreach (var token in new[] { receipt, statusList })
        {
            var (status, body, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { credential = token });

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.False(body.GetProperty("valid").GetBoolean());
            Assert.Equal("not-a-licence-credential", body.GetProperty("reasons")[0].GetProperty("code").GetString());
        }
    }

    private static readonly OncePerRun<string> Issued = new();

    /// <summary>The service's signing key and the credential of a licence issued through the API (once per run).</summary>
    private async Task<(SigningKey Key, string Credential)> GenuineCredentialAsync()
    {
        var credential = await Issued.GetAsync(async () =>
        {
            var code = await service.IssueAsync(Applications.Valid("阿图什市攻防测试有限公司"));
            var (_, _, response) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/credential", service.RegistrarKey);
            return await response.Content.ReadAsStringAsync();
        });
        var ring = await service.Services.GetRequiredService<IKeyRingProvider>().GetAsync(default);
        return (ring.Signing, credential);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
