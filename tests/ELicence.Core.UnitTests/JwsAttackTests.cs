using ELicence.Testing;
using ELicence.Jose;

namespace ELicence.Core.UnitTests;

/// <summary>
/// Hostile tokens sent as a credential. Each case names the answer it must get: a reason code (a <c>valid: false</c>
/// answer with a receipt: the token was a well-formed JWS and the failed check is audit evidence), or
/// <see cref="Refused"/> (a 400 validation problem on <c>credential</c>, no receipt: not a JWS this service accepts).
/// Integration twins of a representative subset run over HTTP in ELicence.IntegrationTests/JwsAttackHttpTests.
/// </summary>
public class JwsAttackTests
{
    public const string Refused = "400";

    private static readonly System.Numerics.BigInteger L = Forge.L;

    /// <summary>The cases: a name, the token made from the harness and a genuine credential, the expected answer.</summary>
    private static readonly Dictionary<string, (Func<VerificationHarness, string, string> Token, string Expected)> Cases = new()
    {
        // alg
        ["alg none, empty signature"] = ((h, g) => Forge.Token(Forge.Header(h.Active.KeyId, alg: "none"), Forge.PayloadOf(g), []), ReasonCodes.UnsupportedAlgorithm),
        ["alg NONE"] = ((h, g) => Forge.Token(Forge.Header(h.Active.KeyId, alg: "NONE"), Forge.PayloadOf(g), []), ReasonCodes.UnsupportedAlgorithm),
        ["alg None with the genuine signature"] = ((h, g) => Forge.Token(Forge.Header(h.Active.KeyId, alg: "None"), Forge.PayloadOf(g), Forge.SignatureOf(g)), ReasonCodes.UnsupportedAlgorithm),
        ["alg empty string"] = ((h, g) => Forge.Token(Forge.Header(h.Active.KeyId, alg: ""), Forge.PayloadOf(g), []), ReasonCodes.UnsupportedAlgorithm),
        ["alg null"] = ((h, g) => Forge.Token($$"""{"alg":null,"kid":"{{h.Active.KeyId}}","typ":"vc+jwt"}""", Forge.PayloadOf(g), []), Refused),
        ["alg missing"] = ((h, g) => Forge.Resigned(h.Active, g, $$"""{"kid":"{{h.Active.KeyId}}","typ":"vc+jwt"}"""), Refused),
        ["alg a number"] = ((h, g) => Forge.Token($$"""{"alg":0,"kid":"{{h.Active.KeyId}}"}""", Forge.PayloadOf(g), []), Refused),
        ["alg HS256, HMAC keyed with the public key bytes (JWK x)"] = ((h, g) => Forge.Hs256(Forge.Header(h.Active.KeyId, alg: "HS256"), Forge.PayloadOf(g), h.Active.PublicKey), ReasonCodes.UnsupportedAlgorithm),
        ["alg HS256, HMAC keyed with the JWK x text"] = ((h, g) => Forge.Hs256(Forge.Header(h.Active.KeyId, alg: "HS256"), Forge.PayloadOf(g), Encoding.ASCII.GetBytes(B64Url.Encode(h.Active.PublicKey))), ReasonCodes.UnsupportedAlgorithm),
        ["alg EdDSA with an HMAC as signature"] = ((h, g) => Forge.Hs256(Forge.Header(h.Active.KeyId), Forge.PayloadOf(g), h.Active.PublicKey), ReasonCodes.BadSignature),
        // ES256 is an algorithm of the ring now, but the kid names an Ed25519 key: no ES256 key has that id.
        ["alg ES256 over an Ed25519 signature"] = ((h, g) => Forge.Resigned(h.Active, g, Forge.Header(h.Active.KeyId, alg: "ES256")), ReasonCodes.UnknownKey),
        ["alg eddsa in lower case"] = ((h, g) => Forge.Resigned(h.Active, g, Forge.Header(h.Active.KeyId, alg: "eddsa")), ReasonCodes.UnsupportedAlgorithm),
        ["alg Ed25519 (fully specified)"] = ((h, g) => Forge.Resigned(h.Active, g, Forge.Header(h.Active.KeyId, alg: "Ed25519")), ReasonCodes.UnsupportedAlgorithm),
        ["alg with a trailing space"] = ((h, g) => Forge.Resigned(h.Active, g, Forge.Header(h.Active.KeyId, alg: "EdDSA ")), ReasonCodes.UnsupportedAlgorithm),

        // kid
        ["kid missing"] = ((h, g) => Forge.Resigned(h.Active, g, """{"alg":"EdDSA","typ":"vc+jwt"}"""), ReasonCodes.UnknownKey),
        ["kid unknown"] = ((h, g) => Forge.Resigned(h.Active, g, Forge.Header("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")), ReasonCodes.UnknownKey),
        ["kid path traversal"] = ((h, g) => Forge.Resigned(h.Active, g, Forge.Header("../../keys/keyring.json")), ReasonCodes.UnknownKey),
        ["kid OData quotes"] = ((h, g) => Forge.Resigned(h.Active, g, Forge.Header("' or PartitionKey ne '")), ReasonCodes.UnknownKey),
        ["kid SQL"] = ((h, g) => Forge.Resigned(h.Active, g, Forge.Header("x'; DROP TABLE licences; --")), ReasonCodes.UnknownKey),
        ["kid 10 KB"] = ((h, g) => Forge.Resigned(h.Active, g, Forge.Header(new string('k', 10_240))), ReasonCodes.UnknownKey),
        ["kid with a NUL"] = ((h, g) => Forge.Resigned(h.Active, g, Forge.Header(h.Active.KeyId + "\\u0000")), ReasonCodes.UnknownKey),
        ["kid in upper case"] = ((h, g) => Forge.Resigned(h.Active, g, Forge.Header(h.Active.KeyId.ToUpperInvariant())), ReasonCodes.UnknownKey),
        ["kid a number"] = ((h, g) => Forge.Resigned(h.Active, g, """{"alg":"EdDSA","kid":7,"typ":"vc+jwt"}"""), Refused),
        ["kid an object"] = ((h, g) => Forge.Resigned(h.Active, g, $$"""{"alg":"EdDSA","kid":{"id":"{{h.Active.KeyId}}"},"typ":"vc+jwt"}"""), Refused),
        ["kid of the retired key, signed by the active key"] = ((h, g) => Forge.Resigned(h.Active, g, Forge.Header(h.Retired.KeyId)), ReasonCodes.BadSignature),
        ["kid of the active key, signed by the retired key"] = ((h, g) => Forge.Resigned(h.Retired, g, Forge.Header(h.Active.KeyId)), ReasonCodes.BadSignature),
        ["kid of the active key, signed by a stranger"] = ((h, g) => Forge.Resigned(h.Stranger, g, Forge.Header(h.Active.KeyId)), ReasonCodes.BadSignature),
        ["kid of the compromised key, signed by the active key"] = ((h, g) => Forge.Resigned(h.Active, g, Forge.Header(h.Compromised.KeyId)), ReasonCodes.KeyCompromised),
        ["kid of the compromised key, signed by it"] = ((h, g) => Forge.Resigned(h.Compromised, g, Forge.Header(h.Compromised.KeyId)), ReasonCodes.KeyCompromised),

        // header parameters that change what is signed or where the key comes from
        ["crit with an extension"] = ((h, g) => Forge.Resigned(h.Active, g, Forge.Header(h.Active.KeyId, extra: ""","crit":["exp"],"exp":1""")), Refused),
        ["crit empty"] = ((h, g) => Forge.Resigned(h.Active, g, Forge.Header(h.Active.KeyId, extra: ""","crit":[]""")), Refused),
        ["b64 false (RFC 7797)"] = ((h, g) => Forge.Resigned(h.Active, g, Forge.Header(h.Active.KeyId, extra: ""","b64":false,"crit":["b64"]""")), Refused),
        ["b64 false without crit"] = ((h, g) => Forge.Resigned(h.Active, g, Forge.Header(h.Active.KeyId, extra: ""","b64":false""")), Refused),
        ["embedded jwk of a stranger, signed by it"] = ((h, g) => Forge.Resigned(h.Stranger, g, Forge.Header(h.Stranger.KeyId, extra: $$""","jwk":{"kty":"OKP","crv":"Ed25519","x":"{{B64Url.Encode(h.Stranger.PublicKey)}}"}""")), Refused),
        ["embedded jwk naming the active kid"] = ((h, g) => Forge.Resigned(h.Stranger, g, Forge.Header(h.Active.KeyId, extra: $$""","jwk":{"kty":"OKP","crv":"Ed25519","x":"{{B64Url.Encode(h.Stranger.PublicKey)}}","kid":"{{h.Active.KeyId}}"}""")), Refused),
        ["jku"] = ((h, g) => Forge.Resigned(h.Stranger, g, Forge.Header(h.Stranger.KeyId, extra: ""","jku":"http://127.0.0.1:9/jwks.json" """)), Refused),
        ["x5u"] = ((h, g) => Forge.Resigned(h.Stranger, g, Forge.Header(h.Stranger.KeyId, extra: ""","x5u":"http://127.0.0.1:9/cert.pem" """)), Refused),
        ["x5c"] = ((h, g) => Forge.Resigned(h.Stranger, g, Forge.Header(h.Stranger.KeyId, extra: ""","x5c":["MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"]""")), Refused),
        ["x5t#S256"] = ((h, g) => Forge.Resigned(h.Active, g, Forge.Header(h.Active.KeyId, extra: ""","x5t#S256":"AAAA" """)), Refused),
        ["enc (a JWE header)"] = ((h, g) => Forge.Resigned(h.Active, g, Forge.Header(h.Active.KeyId, extra: ""","enc":"A256GCM" """)), Refused),

        // duplicate members
        ["two alg, EdDSA then none"] = ((h, g) => Forge.Resigned(h.Active, g, $$"""{"alg":"EdDSA","alg":"none","kid":"{{h.Active.KeyId}}","typ":"vc+jwt"}"""), Refused),
        ["two alg, none then EdDSA"] = ((h, g) => Forge.Resigned(h.Active, g, $$"""{"alg":"none","alg":"EdDSA","kid":"{{h.Active.KeyId}}","typ":"vc+jwt"}"""), Refused),
        ["two kid"] = ((h, g) => Forge.Resigned(h.Active, g, $$"""{"alg":"EdDSA","kid":"{{h.Compromised.KeyId}}","kid":"{{h.Active.KeyId}}","typ":"vc+jwt"}"""), Refused),
        ["two typ"] = ((h, g) => Forge.Resigned(h.Active, g, $$"""{"alg":"EdDSA","kid":"{{h.Active.KeyId}}","typ":"receipt+jwt","typ":"vc+jwt"}"""), Refused),
        ["alg twice, once escaped"] = ((h, g) => Forge.Resigned(h.Active, g, $$"""{"alg":"EdDSA","\u0061lg":"none","kid":"{{h.Active.KeyId}}","typ":"vc+jwt"}"""), Refused),

        // the header is not a JSON object
        ["header an array"] = ((h, g) => Forge.Resigned(h.Active, g, """["EdDSA"]"""), Refused),
        ["header a string"] = ((h, g) => Forge.Resigned(h.Active, g, "\"EdDSA\""), Refused),
        ["header null"] = ((h, g) => Forge.Resigned(h.Active, g, "null"), Refused),
        ["header not JSON"] = ((h, g) => Forge.Resigned(h.Active, g, "alg=EdDSA"), Refused),
        ["header with trailing text"] = ((h, g) => Forge.Resigned(h.Active, g, Forge.Header(h.Active.KeyId) + "x"), Refused),
        ["header with a comment"] = ((h, g) => Forge.Resigned(h.Active, g, "/*x*/" + Forge.Header(h.Active.KeyId)), Refused),
        ["header with a trailing comma"] = ((h, g) => Forge.Resigned(h.Active, g, Forge.Header(h.Active.KeyId)[..^1] + ",}"), Refused),
        ["header nested 10000 deep"] = ((h, g) => Forge.Resigned(h.Active, g, $$"""{"alg":"EdDSA","x":{{new string('[', 10_000)}}{{new string(']', 10_000)}}}"""), Refused),
        ["header of invalid UTF-8"] = ((h, g) => $"{B64Url.Encode([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D])}.{B64Url.Encode(Forge.PayloadOf(g))}.{B64Url.Encode(Forge.SignatureOf(g))}", Refused),
        ["typ an unpaired surrogate escape"] = ((h, g) => Forge.Resigned(h.Active, g, $$"""{"alg":"EdDSA","kid":"{{h.Active.KeyId}}","typ":"\ud800"}"""), Refused),
        ["a member name with an unpaired surrogate escape"] = ((h, g) => Forge.Resigned(h.Active, g, $$"""{"alg":"EdDSA","kid":"{{h.Active.KeyId}}","\udc00":1}"""), Refused),
        ["typ a number"] = ((h, g) => Forge.Resigned(h.Active, g, $$"""{"alg":"EdDSA","kid":"{{h.Active.KeyId}}","typ":1}"""), Refused),

        // payload and signature
        ["payload tampered"] = ((h, g) => Forge.WithPayload(g, Encoding.UTF8.GetString(Forge.PayloadOf(g)).Replace("\"licenceVersion\":1", "\"licenceVersion\":9", StringComparison.Ordinal)), ReasonCodes.BadSignature),
        ["payload not JSON, signed by the service's key"] = ((h, g) => Forge.Signed(h.Active, Forge.Header(h.Active.KeyId), "not json"u8.ToArray()), ReasonCodes.NotALicenceCredential),
        ["payload a JSON array, signed"] = ((h, g) => Forge.Signed(h.Active, Forge.Header(h.Active.KeyId), "[1,2]"u8.ToArray()), ReasonCodes.NotALicenceCredential),
        ["payload null, signed"] = ((h, g) => Forge.Signed(h.Active, Forge.Header(h.Active.KeyId), "null"u8.ToArray()), ReasonCodes.NotALicenceCredential),
        ["payload empty, signed"] = ((h, g) => Forge.Signed(h.Active, Forge.Header(h.Active.KeyId), []), ReasonCodes.NotALicenceCredential),
        ["payload a credential without a subject, signed"] = ((h, g) => Forge.Signed(h.Active, Forge.Header(h.Active.KeyId), """{"type":["VerifiableCredential","BusinessLicenceCredential"]}"""u8.ToArray()), ReasonCodes.NotALicenceCredential),
        ["payload of invalid UTF-8, signed"] = ((h, g) => Forge.Signed(h.Active, Forge.Header(h.Active.KeyId), [0x7B, 0x22, 0x69, 0x64, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]), ReasonCodes.NotALicenceCredential),
        ["payload with members of the wrong type, signed"] = ((h, g) => Forge.Signed(h.Active, Forge.Header(h.Active.KeyId), """{"type":["BusinessLicenceCredential"],"credentialSubject":5,"validFrom":"9999-99-99"}"""u8.ToArray()), ReasonCodes.NotALicenceCredential),
        ["payload with a version beyond int, signed"] = ((h, g) => Forge.Signed(h.Active, Forge.Header(h.Active.KeyId), Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Forge.PayloadOf(g)).Replace("\"licenceVersion\":1", "\"licenceVersion\":1e400", StringComparison.Ordinal))), ReasonCodes.NotALicenceCredential),
        ["payload nested 10000 deep, signed"] = ((h, g) => Forge.Signed(h.Active, Forge.Header(h.Active.KeyId), Encoding.ASCII.GetBytes("{\"type\":" + new string('[', 10_000) + new string(']', 10_000) + "}")), ReasonCodes.NotALicenceCredential),
        ["typ JWT, re-signed by the service's key"] = ((h, g) => Forge.Resigned(h.Active, g, Forge.Header(h.Active.KeyId, typ: "JWT")), ReasonCodes.NotALicenceCredential),
        ["typ missing, re-signed"] = ((h, g) => Forge.Resigned(h.Active, g, $$"""{"alg":"EdDSA","kid":"{{h.Active.KeyId}}"}"""), ReasonCodes.NotALicenceCredential),
        ["a receipt (typ receipt+jwt)"] = ((h, g) => ReceiptOf(h), ReasonCodes.NotALicenceCredential),
        ["a receipt retyped vc+jwt and re-signed"] = ((h, g) => Forge.Resigned(h.Active, ReceiptOf(h), Forge.Header(h.Active.KeyId)), ReasonCodes.NotALicenceCredential),
        ["a status list credential"] = ((h, g) => StatusListCredentials.Sign(h.Issuer, StatusPurpose.Revocation, 0, new BitstringStatusList(), TimeSpan.FromMinutes(5), VerificationHarness.Now, h.Active), ReasonCodes.NotALicenceCredential),
        ["another token's signature"] = ((h, g) => Forge.WithSignature(g, Forge.SignatureOf(ReceiptOf(h))), ReasonCodes.BadSignature),
        ["the signature over the payload alone"] = ((h, g) => Forge.WithSignature(g, h.Active.Sign(Encoding.ASCII.GetBytes(g.Split('.')[1]))), ReasonCodes.BadSignature),
        ["signature of 0 bytes"] = ((h, g) => Forge.WithSignature(g, []), ReasonCodes.BadSignature),
        ["signature of 63 bytes"] = ((h, g) => Forge.WithSignature(g, Forge.SignatureOf(g)[..63]), ReasonCodes.BadSignature),
        ["signature of 65 bytes"] = ((h, g) => Forge.WithSignature(g, [.. Forge.SignatureOf(g), 0]), ReasonCodes.BadSignature),
        ["signature of 128 bytes (twice)"] = ((h, g) => Forge.WithSignature(g, [.. Forge.SignatureOf(g), .. Forge.SignatureOf(g)]), ReasonCodes.BadSignature),
        ["signature all zero"] = ((h, g) => Forge.WithSignature(g, new byte[64]), ReasonCodes.BadSignature),
        ["signature with S + L (malleated)"] = ((h, g) => Forge.WithSignature(g, Forge.AddToS(Forge.SignatureOf(g), L)), ReasonCodes.BadSignature),
        ["signature with S + 2L"] = ((h, g) => Forge.WithSignature(g, Forge.AddToS(Forge.SignatureOf(g), 2 * L)), ReasonCodes.BadSignature),
        ["signature with R changed"] = ((h, g) => Forge.WithSignature(g, FlipBit(Forge.SignatureOf(g), 0)), ReasonCodes.BadSignature),
        ["signature with the top bit of S set"] = ((h, g) => Forge.WithSignature(g, FlipBit(Forge.SignatureOf(g), 63 * 8 + 7)), ReasonCodes.BadSignature),

        // non-canonical base64url
        ["signature with trailing bits set"] = ((h, g) => Forge.WithRawPart(g, 2, Forge.WithTrailingBits(g.Split('.')[2])), Refused),
        ["header with trailing bits set"] = ((h, g) => Forge.WithRawPart(g, 0, Forge.WithTrailingBits(HeaderWithUnusedBits(h.Active.KeyId))), Refused),
        ["signature padded with ="] = ((h, g) => g + "==", Refused),
        ["header padded with ="] = ((h, g) => Forge.WithRawPart(g, 0, Padded(g.Split('.')[0])), Refused),
        ["header in standard base64 with '/'"] = ((h, g) => Forge.WithRawPart(g, 0, StandardBase64WithSlashOrPlus(h.Active.KeyId, "??????", '/')), Refused),
        ["header in standard base64 with '+'"] = ((h, g) => Forge.WithRawPart(g, 0, StandardBase64WithSlashOrPlus(h.Active.KeyId, "~~~~~~", '+')), Refused),
        ["a space inside the signature"] = ((h, g) => g[..^10] + " " + g[^10..], Refused),
        ["a line break inside the payload"] = ((h, g) => g.Insert(g.IndexOf('.', StringComparison.Ordinal) + 5, "\r\n"), Refused),
        ["a non-ASCII look-alike in the signature"] = ((h, g) => g[..^1] + "\u0410", Refused),
        ["a full-width dot as separator"] = ((h, g) => g.Replace('.', '\uFF0E'), Refused),

        // structure and size
        ["empty"] = ((h, g) => "", Refused),
        ["white space only"] = ((h, g) => "   ", Refused),
        ["three empty parts"] = ((h, g) => "..", Refused),
        ["two parts"] = ((h, g) => g[..g.LastIndexOf('.')], Refused),
        ["four parts"] = ((h, g) => g + ".", Refused),
        ["five parts (JWE shape)"] = ((h, g) => g + ".AAAA.AAAA", Refused),
        ["JWS JSON serialization"] = ((h, g) => $$"""{"payload":"{{g.Split('.')[1]}}","protected":"{{g.Split('.')[0]}}","signature":"{{g.Split('.')[2]}}"}""", Refused),
        ["longer than CompactJws.MaxLength"] = ((h, g) => Forge.Resigned(h.Active, g, Forge.Header(h.Active.KeyId, extra: $$""","pad":"{{new string('x', CompactJws.MaxLength)}}" """)), Refused),
        ["exactly CompactJws.MaxLength, genuinely signed"] = ((h, g) => AtMaxLength(h, g), ReasonCodes.CredentialNotIssued),
        ["surrounding white space is trimmed"] = ((h, g) => "  " + g + "\n", ReasonCodes.Verified),
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task A_hostile_token_gets_its_stated_answer(string name)
    {
        var h = new VerificationHarness();
        var genuine = h.Issue(Builders.Licence());
        var (make, expected) = Cases[name];
        var token = make(h, genuine);
        var receiptsBefore = h.Receipts.All.Count;

        if (expected == Refused)
        {
            var problem = await Assert.ThrowsAsync<ProblemException>(() => h.VerifyCredentialAsync(token));
            Assert.Equal(ProblemType.Validation, problem.Type);
            Assert.Equal("credential", Assert.Single(problem.Errors).Field);
            Assert.Equal(receiptsBefore, h.Receipts.All.Count);
            return;
        }

        var result = await h.VerifyCredentialAsync(token);

        Assert.True(result.Reasons.Any(r => r.Code == expected), $"{name}: expected {expected}; got {string.Join(", ", result.Reasons.Select(r => r.Code))}");
        Assert.Equal(expected == ReasonCodes.Verified, result.Valid);
        Assert.Equal(receiptsBefore + 1, h.Receipts.All.Count);
        Assert.All(result.Reasons, r => Assert.True(r.Message.Length < 400, "A reason repeats at most a short excerpt of what the token said."));
    }

    [Fact]
    public void The_suite_has_at_least_forty_cases_of_each_kind_together()
    {
        Assert.True(Cases.Count >= 40, $"{Cases.Count} cases");
        Assert.Contains(Cases.Values, c => c.Expected == Refused);
        Assert.Contains(Cases.Values, c => c.Expected == ReasonCodes.BadSignature);
    }

    [Fact]
    public void A_token_exactly_at_the_limit_is_parsed_and_one_character_more_is_not()
    {
        var h = new VerificationHarness();
        var token = AtMaxLength(h, h.Issue(Builders.Licence()));

        Assert.Equal(CompactJws.MaxLength, token.Length);
        Assert.True(CompactJws.TryParse(token, out _, out _));
        Assert.False(CompactJws.TryParse(token + "A", out _, out _));
    }

    [Fact]
    public void Malleating_S_by_adding_L_is_refused_by_Ed25519_itself()
    {
        var key = SigningKey.Create(VerificationHarness.Now);
        var message = "ELicence"u8.ToArray();
        var signature = key.Sign(message);

        Assert.True(Ed25519.Verify(key.PublicKey, message, signature));
        Assert.False(Ed25519.Verify(key.PublicKey, message, Forge.AddToS(signature, L)));
    }

    [Fact]
    public void A_public_key_that_is_not_a_curve_point_verifies_nothing_and_does_not_throw()
    {
        var notAPoint = Convert.FromHexString("0200000000000000000000000000000000000000000000000000000000000000");
        var key = SigningKey.Create(VerificationHarness.Now);

        Assert.False(Ed25519.Verify(notAPoint, "x"u8, key.Sign("x"u8)));
        Assert.False(Ed25519.Verify(new byte[31], "x"u8, key.Sign("x"u8)));
    }

    [Theory]
    [InlineData("AA")]
    [InlineData("AAA")]
    [InlineData("AAAA")]
    [InlineData("")]
    [InlineData("-w")]
    [InlineData("_-_-")]
    public void Canonical_base64url_decodes(string text)
    {
        Assert.True(B64Url.TryDecode(text, out var bytes));
        Assert.Equal(text, B64Url.Encode(bytes));
    }

    [Theory]
    [InlineData("AB")]      // trailing bits set
    [InlineData("AAB")]
    [InlineData("A")]       // impossible length
    [InlineData("AA==")]
    [InlineData("AA=")]
    [InlineData("+/")]
    [InlineData("A A")]
    [InlineData("AA\n")]
    [InlineData("AA\u00A0")]
    [InlineData("Zg%3D")]
    public void Non_canonical_base64url_is_refused(string text)
    {
        Assert.False(B64Url.TryDecode(text, out _));
    }

    private static string ReceiptOf(VerificationHarness h) =>
        new Receipt(h.Issuer.Id, Receipt.NewId(), 0, null, VerificationHarness.Now, new ReceiptVerifier("verifier:x", "X", null), null,
            new ReceiptTarget("credit-code", null, null, null, null, null), false, [], null).Sign(h.Active);

    private static byte[] FlipBit(byte[] data, int bit)
    {
        var result = data.ToArray();
        result[bit / 8] ^= (byte)(1 << (bit % 8));
        return result;
    }

    private static string Padded(string part) => part + "=";

    /// <summary>An encoded header whose last character carries unused bits (its byte length is not a multiple of 3).</summary>
    private static string HeaderWithUnusedBits(string kid) =>
        new[] { "1", "12", "123" }.Select(x => Forge.Part(Forge.Header(kid, extra: $$""","x":"{{x}}" """.Trim()))).First(p => p.Length % 4 is 2 or 3);

    /// <summary>A header encoded in standard base64 (unpadded) that contains <paramref name="wanted"/>: six equal filler bytes always align one group.</summary>
    private static string StandardBase64WithSlashOrPlus(string kid, string filler, char wanted)
    {
        var text = Convert.ToBase64String(Encoding.UTF8.GetBytes(Forge.Header(kid, extra: $$""","x":"{{filler}}" """.Trim()))).TrimEnd('=');
        Assert.Contains(wanted, text);
        return text;
    }

    private static string AtMaxLength(VerificationHarness h, string genuine) => Forge.AtLength(h.Active, genuine, CompactJws.MaxLength);
}
