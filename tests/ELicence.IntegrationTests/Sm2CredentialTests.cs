using System.Formats.Asn1;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ELicence.Core.Keys;
using ELicence.Jose;

namespace ELicence.IntegrationTests;

/// <summary>
/// The credential's JWS JSON serialization with its SM2-SM3 signature: OpenSSL 3 verifies the SM2 signature from the JWKS
/// alone, `jose` still reads the JWKS that lists the SM2 key, and the service verifies both signatures and names the one
/// that fails. OpenSSL-made SM2 signatures verify with the service's verifier.
/// </summary>
[Collection(ServiceCollection.Name)]
public class Sm2CredentialTests(ServiceFixture service)
{
    /// <summary>DER SubjectPublicKeyInfo up to the point: id-ecPublicKey, curve sm2 (1.2.156.10197.1.301), uncompressed.</summary>
    private const string SpkiPrefix = "3059301306072a8648ce3d020106082a811ccf5501822d03420004";

    [Fact]
    public async Task The_served_JWKS_with_its_SM2_key_matches_its_schema_in_the_openapi_document()
    {
        var jwks = await service.Http.GetStringAsync("/.well-known/jwks.json");
        Assert.Contains("\"kty\":\"EC\"", jwks, StringComparison.Ordinal);
        var file = Path.Combine(Path.GetTempPath(), $"elicence-jwks-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, jwks);
        try
        {
            var (exit, output, error) = await ExternalProcess.RunAsync("node", ["tests/tools/validate-response.mjs", "docs/openapi.yaml", "/.well-known/jwks.json", "get", "200", file]);

            Assert.True(exit == 0, $"{output}\n{error}");
            Assert.Equal("valid", output.Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_JSON_form_carries_the_compact_credential_and_an_SM2_signature_that_OpenSSL_verifies()
    {
        var (compact, json) = await CredentialInBothFormsAsync();
        var jwks = JsonDocument.Parse(await service.Http.GetStringAsync("/.well-known/jwks.json")).RootElement;
        var form = JsonDocument.Parse(json).RootElement;
        var signatures = form.GetProperty("signatures");
        var (payload, edHeader, edSignature) = (form.GetProperty("payload").GetString(), signatures[0].GetProperty("protected").GetString(), signatures[0].GetProperty("signature").GetString());
        var (smHeader, smSignature) = (signatures[1].GetProperty("protected").GetString()!, signatures[1].GetProperty("signature").GetString()!);

        Assert.Equal(compact, $"{edHeader}.{payload}.{edSignature}");
        Assert.Equal(2, signatures.GetArrayLength());
        var header = JsonDocument.Parse(Convert.FromBase64String(Padded(smHeader))).RootElement;
        Assert.Equal("SM2-SM3", header.GetProperty("alg").GetString());
        Assert.Equal("vc+jwt", header.GetProperty("typ").GetString());
        var jwk = jwks.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("kid").GetString() == header.GetProperty("kid").GetString());
        Assert.Equal(("EC", "SM2", "SM2-SM3"), (jwk.GetProperty("kty").GetString(), jwk.GetProperty("crv").GetString(), jwk.GetProperty("alg").GetString()));

        var signingInput = Encoding.ASCII.GetBytes($"{smHeader}.{payload}");
        var publicKey = Decode(jwk.GetProperty("x").GetString()!).Concat(Decode(jwk.GetProperty("y").GetString()!)).ToArray();
        var signature = Decode(smSignature);
        Assert.Equal(64, signature.Length);

        var (verified, output) = await OpenSslVerifyAsync(publicKey, signingInput, signature);
        Assert.True(verified, output);
        var (tampered, _) = await OpenSslVerifyAsync(publicKey, [.. signingInput, (byte)' '], signature);
        Assert.False(tampered);
    }

    [Fact]
    public async Task The_JSON_form_is_the_same_text_every_time()
    {
        var (code, _, json) = await IssuedAsync();

        Assert.Equal(json, await JsonFormAsync(code));
    }

    [Fact]
    public async Task Jose_still_verifies_the_compact_credential_with_the_JWKS_that_lists_the_SM2_key()
    {
        var (compact, _) = await CredentialInBothFormsAsync();
        var jwks = await service.Http.GetStringAsync("/.well-known/jwks.json");

        Assert.Contains(JsonDocument.Parse(jwks).RootElement.GetProperty("keys").EnumerateArray(), k => k.GetProperty("crv").GetString() == "SM2");
        var check = await JoseTool.VerifyAsync(jwks, compact, "vc+jwt");
        Assert.True(check.Verified, check.Error);
    }

    [Fact]
    public async Task The_service_verifies_both_signatures_of_the_JSON_form()
    {
        var (_, json) = await CredentialInBothFormsAsync();

        var (status, body, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { credential = json });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetProperty("valid").GetBoolean(), body.ToString());
        Assert.Equal(LicenceSha256(json), body.GetProperty("receipt").GetProperty("jws").GetString() is { } receipt ? ReceiptDigest(receipt) : null);
    }

    public static TheoryData<string, string, string> Failures => new()
    {
        { "SM2 signature altered", "sm2-signature", "bad-signature|SM2 signature" },
        { "EdDSA signature altered", "ed-signature", "bad-signature|EdDSA signature" },
        { "signatures swapped", "swap", "unsupported-algorithm|EdDSA signature" },
        { "SM2 signature by another SM2 key", "stranger", "unknown-key|SM2 signature" },
        { "SM2 signature given the Ed25519 kid", "ed-kid", "unknown-key|SM2 signature" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_failing_signature_of_the_JSON_form_is_named_in_the_reason(string name, string change, string expected)
    {
        var (_, json) = await CredentialInBothFormsAsync();
        var form = JsonNode.Parse(json)!;
        var signatures = form["signatures"]!.AsArray();
        switch (change)
        {
            case "sm2-signature": signatures[1]!["signature"] = Flip(signatures[1]!["signature"]!.GetValue<string>()); break;
            case "ed-signature": signatures[0]!["signature"] = Flip(signatures[0]!["signature"]!.GetValue<string>()); break;
            case "swap": form["signatures"] = new JsonArray(signatures[1]!.DeepClone(), signatures[0]!.DeepClone()); break;
            default:
                var stranger = SigningKey.Create(KeyAlgorithm.Sm2, DateTimeOffset.UtcNow);
                var kid = change == "ed-kid" ? (await service.Services.GetRequiredService<IKeyRingProvider>().GetAsync(default)).Signing.KeyId : stranger.KeyId;
                var headerText = $$"""{"alg":"SM2-SM3","kid":"{{kid}}","typ":"vc+jwt"}""";
                var header = B64Url.Encode(Encoding.UTF8.GetBytes(headerText));
                signatures[1]!["protected"] = header;
                signatures[1]!["signature"] = B64Url.Encode(stranger.Sign(Encoding.ASCII.GetBytes($"{header}.{form["payload"]!.GetValue<string>()}")));
                break;
        }

        var (status, body, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { credential = form.ToJsonString() });

        Assert.True(status == HttpStatusCode.OK, $"{name}: {(int)status} {body}");
        Assert.False(body.GetProperty("valid").GetBoolean());
        var reason = body.GetProperty("reasons")[0];
        var (code, phrase) = (expected.Split('|')[0], expected.Split('|')[1]);
        Assert.Equal(code, reason.GetProperty("code").GetString());
        Assert.Contains(phrase, reason.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "one signature", """{"payload":"e30","signatures":[{"protected":"e30","signature":"AA"}]}""" },
        { "three signatures", """{"payload":"e30","signatures":[{"protected":"e30","signature":"AA"},{"protected":"e30","signature":"AA"},{"protected":"e30","signature":"AA"}]}""" },
        { "unprotected header", """{"payload":"e30","signatures":[{"protected":"e30","header":{"kid":"x"},"signature":"AA"},{"protected":"e30","signature":"AA"}]}""" },
        { "flattened form", """{"payload":"e30","protected":"e30","signature":"AA"}""" },
        { "payload twice", """{"payload":"e30","payload":"e31","signatures":[]}""" },
        { "not JSON", "{payload" },
        { "signatures not an array", """{"payload":"e30","signatures":{}}""" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task A_malformed_JSON_form_is_a_problem_naming_the_credential(string name, string json)
    {
        var (status, body, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { credential = json });

        Assert.True(status == HttpStatusCode.BadRequest, $"{name}: {(int)status} {body}");
        Assert.Equal("credential", body.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task An_SM2_signature_made_by_OpenSSL_verifies_with_the_service_verifier()
    {
        var dir = Directory.CreateTempSubdirectory("elicence-sm2");
        try
        {
            var key = Path.Combine(dir.FullName, "key.pem");
            var message = Path.Combine(dir.FullName, "message");
            var signatureFile = Path.Combine(dir.FullName, "signature.der");
            var data = Encoding.ASCII.GetBytes("eyJhbGciOiJTTTItU00zIn0.eyJpZCI6InVybjp0ZXN0In0");
            await File.WriteAllBytesAsync(message, data);
            await OpenSslAsync("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2", "-out", key);
            await OpenSslAsync("pkeyutl", "-sign", "-rawin", "-digest", "sm3", "-pkeyopt", "distid:1234567812345678", "-inkey", key, "-in", message, "-out", signatureFile);
            var spki = Path.Combine(dir.FullName, "public.der");
            await OpenSslAsync("pkey", "-in", key, "-pubout", "-outform", "DER", "-out", spki);
            var publicKey = (await File.ReadAllBytesAsync(spki))[^64..];
            var signature = RawFromDer(await File.ReadAllBytesAsync(signatureFile));

            var verifier = Sm2Verifier.TryCreate(publicKey)!;

            Assert.True(verifier.Verify(data, signature));
            Assert.True(Sm2.VerifyWithStockSigner(publicKey, data, signature));
            Assert.False(verifier.Verify([.. data, (byte)'x'], signature));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private async Task<(string Code, string Compact, string Json)> IssuedAsync()
    {
        var code = await service.IssueAsync(Applications.Valid("阿图什市国密测试有限公司"));
        using var response = await service.Http.SendAsync(Get(code, null));
        var compact = await response.Content.ReadAsStringAsync();
        return (code, compact, await JsonFormAsync(code));
    }

    private async Task<(string Compact, string Json)> CredentialInBothFormsAsync()
    {
        var (_, compact, json) = await IssuedAsync();
        return (compact, json);
    }

    private async Task<string> JsonFormAsync(string code)
    {
        using var response = await service.Http.SendAsync(Get(code, "application/jose+json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/jose+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    private HttpRequestMessage Get(string code, string? accept)
    {
        var request = service.Request(HttpMethod.Get, $"/api/v1/licences/{code}/credential", service.RegistrarKey);
        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        return request;
    }

    /// <summary>OpenSSL 3 verifies an SM2 signature (r‖s, converted to DER) over the message with SM3 and the GM/T 0009 signer ID.</summary>
    private static async Task<(bool Verified, string Output)> OpenSslVerifyAsync(byte[] publicKey, byte[] message, byte[] signature)
    {
        var dir = Directory.CreateTempSubdirectory("elicence-sm2");
        try
        {
            var pem = Path.Combine(dir.FullName, "public.pem");
            var input = Path.Combine(dir.FullName, "input");
            var sig = Path.Combine(dir.FullName, "signature.der");
            var spki = Convert.FromHexString(SpkiPrefix).Concat(publicKey).ToArray();
            await File.WriteAllTextAsync(pem, PemEncoding.WriteString("PUBLIC KEY", spki));
            await File.WriteAllBytesAsync(input, message);
            await File.WriteAllBytesAsync(sig, DerFromRaw(signature));
            var (exit, output, error) = await ExternalProcess.RunAsync("openssl", ["pkeyutl", "-verify", "-rawin", "-digest", "sm3", "-pkeyopt", "distid:1234567812345678", "-pubin", "-inkey", pem, "-in", input, "-sigfile", sig]);
            return (exit == 0 && output.Contains("Signature Verified Successfully", StringComparison.Ordinal), output + error);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task OpenSslAsync(params string[] arguments)
    {
        var (exit, output, error) = await ExternalProcess.RunAsync("openssl", arguments);
        Assert.True(exit == 0, $"openssl {string.Join(' ', arguments)}: {output}{error}");
    }

    private static byte[] DerFromRaw(byte[] raw)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(raw.AsSpan(0, 32));
            writer.WriteIntegerUnsigned(raw.AsSpan(32));
        }

        return writer.Encode();
    }

    private static byte[] RawFromDer(byte[] der)
    {
        var sequence = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var raw = new byte[64];
        foreach (var offset in new[] { 0, 32 })
        {
            var value = sequence.ReadIntegerBytes().Span.TrimStart((byte)0);
            value.CopyTo(raw.AsSpan(offset + 32 - value.Length));
        }

        return raw;
    }

    private static byte[] Decode(string text) => B64Url.TryDecode(text, out var data) ? data : throw new FormatException(text);

    private static string Padded(string b64Url) => b64Url.Replace('-', '+').Replace('_', '/').PadRight((b64Url.Length + 3) / 4 * 4, '=');

    private static string Flip(string b64Url)
    {
        var data = Decode(b64Url);
        data[10] ^= 0x01;
        return B64Url.Encode(data);
    }

    private static string LicenceSha256(string presented) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(presented.Trim())));

    private static string? ReceiptDigest(string receiptJws)
    {
        var payload = JsonDocument.Parse(Decode(receiptJws.Split('.')[1])).RootElement;
        return payload.GetProperty("checked").GetProperty("credentialSha256").GetString();
    }
}
