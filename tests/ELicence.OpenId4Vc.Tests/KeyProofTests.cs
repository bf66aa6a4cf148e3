using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ELicence.OpenId4Vc.Issuance;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace ELicence.OpenId4Vc.Tests;

/// <summary>The jwt key proof of OpenID4VCI 1.0 §8.2.1.1 / Appendix F.1: what is accepted and each way a proof is refused.</summary>
public class KeyProofTests
{
    private const string Issuer = "https://issuer.example";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Fact]
    public void An_ES256_proof_for_the_issuer_with_a_nonce_yields_its_key_and_nonce()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var proof = KeyProof.Verify(Es256(key, Header(key)), Issuer, Now);

        Assert.Equal("n-1", proof.Nonce);
        Assert.Equal("ES256", proof.Key.Algorithm);
        Assert.Equal(Base64Url.EncodeToString(key.ExportParameters(false).Q.X), proof.Key.X);
    }

    [Fact]
    public void An_EdDSA_proof_is_accepted_and_an_audience_array_naming_the_issuer_too()
    {
        var seed = RandomNumberGenerator.GetBytes(32);
        var publicKey = new Ed25519PrivateKeyParameters(seed).GeneratePublicKey().GetEncoded();
        var header = new JsonObject { ["typ"] = KeyProof.Type, ["alg"] = "EdDSA", ["jwk"] = new JsonObject { ["kty"] = "OKP", ["crv"] = "Ed25519", ["x"] = Base64Url.EncodeToString(publicKey) } };
        var payload = Payload();
        payload["aud"] = new JsonArray("https://other.example", Issuer);
        var input = Encode(header) + "." + Encode(payload);
        var signer = SignerUtilities.GetSigner("Ed25519");
        signer.Init(true, new Ed25519PrivateKeyParameters(seed));
        var bytes = Encoding.ASCII.GetBytes(input);
        signer.BlockUpdate(bytes, 0, bytes.Length);

        var proof = KeyProof.Verify(input + "." + Base64Url.EncodeToString(signer.GenerateSignature()), Issuer, Now);

        Assert.Equal("EdDSA", proof.Key.Algorithm);
    }

    public static TheoryData<string, string> Refusals() => new()
    {
        { "alg none", OAuthErrors.InvalidProof },
        { "HS256", OAuthErrors.InvalidProof },
        { "typ JWT", OAuthErrors.InvalidProof },
        { "private d in jwk", OAuthErrors.InvalidProof },
        { "kid instead of jwk", OAuthErrors.InvalidProof },
        { "other audience", OAuthErrors.InvalidProof },
        { "iat an hour ago", OAuthErrors.InvalidProof },
        { "iat a minute ahead", OAuthErrors.InvalidProof },
        { "no iat", OAuthErrors.InvalidProof },
        { "no nonce", OAuthErrors.InvalidNonce },
        { "signed by another key", OAuthErrors.InvalidProof },
        { "a P-384 key", OAuthErrors.InvalidProof },
        { "not a JWT", OAuthErrors.InvalidProof },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_bad_proof_is_refused_with_the_protocol_error(string what, string error)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var header = Header(key);
        var payload = Payload();
        var signer = key;
        switch (what)
        {
            case "alg none": header["alg"] = "none"; break;
            case "HS256": header["alg"] = "HS256"; break;
            case "typ JWT": header["typ"] = "JWT"; break;
            case "private d in jwk": header["jwk"]!["d"] = Base64Url.EncodeToString(key.ExportParameters(true).D); break;
            case "kid instead of jwk": header.Remove("jwk"); header["kid"] = "k1"; break;
            case "other audience": payload["aud"] = "https://other.example"; break;
            case "iat an hour ago": payload["iat"] = Now.AddHours(-1).ToUnixTimeSeconds(); break;
            case "iat a minute ahead": payload["iat"] = Now.AddMinutes(1).ToUnixTimeSeconds(); break;
            case "no iat": payload.Remove("iat"); break;
            case "no nonce": payload.Remove("nonce"); break;
            case "signed by another key": signer = other; break;
            case "a P-384 key": header["jwk"]!["crv"] = "P-384"; break;
        }

        var token = what == "not a JWT" ? "abc.def" : Es256(signer, header, payload);

        var refused = Assert.Throws<OAuthException>(() => KeyProof.Verify(token, Issuer, Now));
        Assert.Equal(error, refused.Error);
        Assert.Equal(400, refused.Status);
    }

    [Fact]
    public void A_transaction_code_matches_only_itself_under_its_salt()
    {
        var code = TransactionCode.New();
        var hash = TransactionCode.Hash("vco_1", code);

        Assert.Matches("^[0-9]{6}$", code);
        Assert.True(TransactionCode.Matches("vco_1", code, hash));
        Assert.False(TransactionCode.Matches("vco_2", code, hash));
        Assert.False(TransactionCode.Matches("vco_1", code + "0", hash));
        Assert.False(TransactionCode.Matches("vco_1", null, hash));
    }

    [Fact]
    public void An_offer_by_reference_escapes_its_uri()
    {
        Assert.Equal("openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fi.example%2Fo%2F1", CredentialOffer.ByReference("https://i.example/o/1"));
    }

    private static JsonObject Header(ECDsa key)
    {
        var p = key.ExportParameters(false);
        return new JsonObject
        {
            ["typ"] = KeyProof.Type,
            ["alg"] = "ES256",
            ["jwk"] = new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64Url.EncodeToString(p.Q.X), ["y"] = Base64Url.EncodeToString(p.Q.Y) },
        };
    }

    private static JsonObject Payload() => new() { ["aud"] = Issuer, ["iat"] = Now.ToUnixTimeSeconds(), ["nonce"] = "n-1" };

    private static string Es256(ECDsa key, JsonObject header, JsonObject? payload = null)
    {
        var input = Encode(header) + "." + Encode(payload ?? Payload());
        return input + "." + Base64Url.EncodeToString(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    private static string Encode(JsonObject o) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(o.ToJsonString()));
}
