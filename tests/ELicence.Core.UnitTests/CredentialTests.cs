using System.Text.Json;
using ELicence.Jose;

namespace ELicence.Core.UnitTests;

public class CredentialTests
{
    private static readonly IssuerOptions Issuer = new();
    private readonly SigningKey _key = SigningKey.Create(DateTimeOffset.UnixEpoch);

    [Fact]
    public void A_licence_credential_is_a_VC_2_0_compact_JWS_with_EdDSA_and_kid()
    {
        var jws = LicenceCredential.Sign(Builders.Licence(), Issuer, _key);

        Assert.True(CompactJws.TryParse(jws, out var parsed, out _));
        Assert.Equal("EdDSA", parsed.Algorithm);
        Assert.Equal(_key.KeyId, parsed.KeyId);
        Assert.Equal("vc+jwt", parsed.Type);
        Assert.True(Ed25519.Verify(_key.PublicKey, parsed.SigningInput, parsed.Signature));

        using var payload = JsonDocument.Parse(parsed.Payload);
        var root = payload.RootElement;
        Assert.Equal("https://www.w3.org/ns/credentials/v2", root.GetProperty("@context")[0].GetString());
        Assert.Equal(["VerifiableCredential", "BusinessLicenceCredential"], root.GetProperty("type").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("urn:uuid:01a22433-ff9f-79e8-b893-c9b8b9eede3e", root.GetProperty("id").GetString());
        Assert.Equal(Issuer.Id, root.GetProperty("issuer").GetProperty("id").GetString());
        Assert.Equal("2026-11-02T17:30:12+00:00", root.GetProperty("validFrom").GetString());
        var subject = root.GetProperty("credentialSubject");
        Assert.Equal(Builders.Licence().Code.Value, subject.GetProperty("creditCode").GetString());
        Assert.Equal("阿图什市天山果业有限公司", subject.GetProperty("name")[0].GetProperty("@value").GetString());
        Assert.Equal("Atushi Tianshan Fruit Co., Ltd.", subject.GetProperty("name")[1].GetProperty("@value").GetString());
        Assert.Equal(JsonValueKind.Null, subject.GetProperty("operatingTerm").GetProperty("to").ValueKind);
    }

    [Fact]
    public void Signing_the_same_licence_twice_gives_the_same_token()
    {
        Assert.Equal(LicenceCredential.Sign(Builders.Licence(), Issuer, _key), LicenceCredential.Sign(Builders.Licence(), Issuer, _key));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Tampering_with_any_part_breaks_the_signature(int part)
    {
        var parts = LicenceCredential.Sign(Builders.Licence(), Issuer, _key).Split('.');
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(parts[part]);
        bytes[bytes.Length / 2] ^= 0x20;
        parts[part] = B64Url.Encode(bytes);

        var parsedOk = CompactJws.TryParse(string.Join('.', parts), out var parsed, out _);

        Assert.False(parsedOk && Ed25519.Verify(_key.PublicKey, parsed!.SigningInput, parsed.Signature));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("eyJhbGciOiJFZERTQSJ9=.e30.AA")]
    [InlineData("bm90IGpzb24.e30.AA")]
    [InlineData("eyJ0eXAiOiJKV1QifQ.e30.AA")] // no alg
    [InlineData("eyJhbGciOiJFZERTQSIsImNyaXQiOlsiYjY0Il19.e30.AA")] // crit
    public void Malformed_tokens_are_refused_before_any_signature_check(string token)
    {
        Assert.False(CompactJws.TryParse(token, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void The_JWKS_publishes_active_and_retired_keys_but_never_compromised_ones()
    {
        var now = DateTimeOffset.UnixEpoch;
        var active = SigningKey.Create(now);
        var retired = SigningKey.Create(now) with { State = KeyState.Retired };
        var compromised = SigningKey.Create(now) with { State = KeyState.Compromised };
        var ring = new KeyRing([active, retired, compromised], active.KeyId);

        var jwks = ring.ToJwks();

        Assert.Equal([active.KeyId, retired.KeyId], jwks.Keys.Select(k => k.Kid));
        Assert.All(jwks.Keys, k => Assert.Equal(("OKP", "Ed25519", "EdDSA", "sig"), (k.Kty, k.Crv, k.Alg, k.Use)));
        Assert.NotNull(ring.FindTrusted(retired.KeyId));
        Assert.Null(ring.FindTrusted(compromised.KeyId));
        Assert.Throws<ArgumentException>(() => new KeyRing([retired], retired.KeyId));
    }

    [Fact]
    public void A_key_ring_survives_its_stored_form_and_its_seeds_never_appear_in_logs()
    {
        var ring = KeyRing.CreateNew(DateTimeOffset.UnixEpoch);

        var read = KeyRingDocument.Read(KeyRingDocument.Write(ring));

        Assert.Equal(ring.Signing.KeyId, read.Signing.KeyId);
        Assert.Equal(ring.Signing.PublicKey, read.Signing.PublicKey);
        Assert.DoesNotContain(B64Url.Encode(ring.Signing.Seed), ring.Signing.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_receipt_is_a_signed_JWT_that_carries_what_was_checked()
    {
        var receipt = new Receipt(Issuer.Id, Receipt.NewId(), 1_795_903_718, "91653001MA0000015P", DateTimeOffset.UnixEpoch,
            new ReceiptVerifier(Builders.Bank.Id, "Bank", VerifierKind.Bank), "account-opening", new ReceiptTarget("credit-code", "91653001MA0000015P", null, 1, null, null),
            true, [new VerificationReason(ReasonCodes.Verified, "ok")], Builders.Licence().Summarize(new DateOnly(2026, 11, 28)));

        var jws = receipt.Sign(_key);

        Assert.True(CompactJws.TryParse(jws, out var parsed, out _));
        Assert.Equal("receipt+jwt", parsed.Type);
        Assert.True(Ed25519.Verify(_key.PublicKey, parsed.SigningInput, parsed.Signature));
        using var claims = JsonDocument.Parse(Encoding.UTF8.GetString(parsed.Payload));
        Assert.Equal(receipt.Id, claims.RootElement.GetProperty("jti").GetString());
        Assert.Equal(Issuer.Id, claims.RootElement.GetProperty("iss").GetString());
        Assert.Equal(1_795_903_718, claims.RootElement.GetProperty("iat").GetInt64());
        Assert.Equal("account-opening", claims.RootElement.GetProperty("purpose").GetString());
        Assert.True(Receipt.IsWellFormedId(receipt.Id));
        Assert.False(Receipt.IsWellFormedId("rcpt_../../etc"));
    }
}
