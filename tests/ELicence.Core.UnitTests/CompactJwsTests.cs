using ELicence.Core.Serialization;
using ELicence.Jose;
using ELicence.Jose.Tests;

namespace ELicence.Core.UnitTests;

/// <summary>
/// The allocation-lean JWS code of the verify path (issue 11.5) against plain definitions: canonical base64url by
/// re-encoding, the receipt payload by <see cref="ElicenceJson.SerializeToUtf8{T}"/>, signatures by RFC 8032.
/// </summary>
public class CompactJwsTests
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    [Fact]
    public void Base64url_accepts_exactly_the_texts_that_re_encode_to_themselves()
    {
        // Every text of 2 and 3 characters (the lengths with unused bits), and each last character after a full group.
        var texts = from a in Alphabet from b in Alphabet select $"{a}{b}";
        texts = texts.Concat(from a in Alphabet from b in Alphabet from c in Alphabet select $"{a}{b}{c}");
        texts = texts.Concat(from c in Alphabet select $"AAAAA{c}").Concat(from c in Alphabet select $"AAAAAA{c}");
        var checkedTexts = 0;
        foreach (var text in texts)
        {
            var standard = text.Replace('-', '+').Replace('_', '/');
            var bytes = Convert.FromBase64String(standard + new string('=', (4 - (text.Length % 4)) % 4));
            var canonical = B64Url.Encode(bytes) == text;

            Assert.True(B64Url.TryDecode(text, out var decoded) == canonical, text);
            Assert.Equal(canonical ? bytes : [], decoded);
            checkedTexts++;
        }

        Assert.Equal(64 * 64 + 64 * 64 * 64 + 128, checkedTexts);
    }

    [Fact]
    public void A_receipt_signs_exactly_the_bytes_of_the_service_JSON()
    {
        var key = SigningKey.Create(VerificationHarness.Now);
        var receipt = NewReceipt("阿图什市 +86 “引号” \u2028", 1);

        var token = receipt.Sign(key);

        Assert.True(CompactJws.TryParse(token, out var parsed, out var error), error);
        Assert.Equal(ElicenceJson.SerializeToUtf8(receipt), parsed.Payload);
        Assert.Equal(ELicence.Core.Receipts.Receipt.JwsType, parsed.Type);
        Assert.Equal(key.KeyId, parsed.KeyId);
        Assert.True(Ed25519.Verify(key.PublicKey, parsed.SigningInput, parsed.Signature));
    }

    [Fact]
    public void A_payload_larger_than_the_kept_buffer_signs_whole_and_the_next_one_is_not_polluted()
    {
        var key = SigningKey.Create(VerificationHarness.Now);
        var large = NewReceipt(new string('长', 40_000), 1); // ≈ 120 KB of UTF-8: the per-thread buffer is not kept after it
        var small = NewReceipt("小", 2);

        var largeToken = large.Sign(key);
        var smallToken = small.Sign(key);

        Assert.True(CompactJws.TryParse(largeToken, 256 * 1024, out var parsedLarge, out _));
        Assert.Equal(ElicenceJson.SerializeToUtf8(large), parsedLarge.Payload);
        Assert.True(CompactJws.TryParse(smallToken, out var parsedSmall, out _));
        Assert.Equal(ElicenceJson.SerializeToUtf8(small), parsedSmall.Payload);
        Assert.True(parsedSmall.VerifyEd25519(key.PublicKey));
    }

    [Fact]
    public void Receipts_signed_on_many_threads_at_once_each_carry_their_own_payload()
    {
        var key = SigningKey.Create(VerificationHarness.Now);
        var receipts = Enumerable.Range(0, 400).Select(i => NewReceipt("purpose-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), i)).ToArray();
        var tokens = new string[receipts.Length];

        Parallel.For(0, receipts.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => tokens[i] = receipts[i].Sign(key));

        for (var i = 0; i < receipts.Length; i++)
        {
            Assert.True(CompactJws.TryParse(tokens[i], out var parsed, out _));
            Assert.Equal(ElicenceJson.SerializeToUtf8(receipts[i]), parsed.Payload);
            Assert.True(parsed.VerifyEd25519(key.PublicKey));
        }
    }

    [Theory]
    [MemberData(nameof(Rfc8032Vectors.Tests), MemberType = typeof(Rfc8032Vectors))]
    public void A_service_key_signs_the_RFC_8032_test_vectors_every_time(string secret, string publicKey, string message, string signature)
    {
        var key = SigningKey.FromPrivate(KeyAlgorithm.Ed25519, Convert.FromHexString(secret), KeyState.Active, VerificationHarness.Now);

        Assert.Equal(publicKey, Convert.ToHexStringLower(key.PublicKey));
        Assert.Equal(signature, Convert.ToHexStringLower(key.Sign(Convert.FromHexString(message))));
        Assert.Equal(signature, Convert.ToHexStringLower(key.Sign(Convert.FromHexString(message)))); // the prepared key, second use
    }

    [Fact]
    public void A_key_copied_with_another_seed_signs_with_that_seed_not_the_prepared_one()
    {
        var first = SigningKey.Create(VerificationHarness.Now);
        _ = first.Sign("prepare"u8);
        var other = SigningKey.Create(VerificationHarness.Now);

        var copy = first with { Seed = other.Seed, PublicKey = other.PublicKey };
        var signature = copy.Sign("x"u8);

        Assert.True(Ed25519.Verify(other.PublicKey, "x"u8, signature));
        Assert.False(Ed25519.Verify(first.PublicKey, "x"u8, signature));
    }

    [Fact]
    public void A_parsed_token_verifies_from_its_text_as_from_its_signing_input()
    {
        var key = SigningKey.Create(VerificationHarness.Now);
        var token = NewReceipt("account-opening", 1).Sign(key);
        var parts = token.Split('.');
        var altered = parts[0] + "." + parts[1][..^2] + (parts[1][^2] == 'A' ? 'B' : 'A') + parts[1][^1] + "." + parts[2];

        Assert.True(CompactJws.TryParse(token, out var parsed, out _));
        Assert.True(CompactJws.TryParse(altered, out var forged, out _));

        Assert.True(parsed.VerifyEd25519(key.PublicKey));
        Assert.False(forged.VerifyEd25519(key.PublicKey));
        Assert.False(parsed.VerifyEd25519(SigningKey.Create(VerificationHarness.Now).PublicKey));
        Assert.Equal(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), parsed.SigningInput);
        Assert.True(parsed.VerifyEd25519(key.PublicKey)); // after the signing input was made, from it
        Assert.False(forged.VerifyEd25519(new byte[31]));
    }

    private static Receipt NewReceipt(string purpose, long issuedAt) =>
        new("https://issuer.example", ELicence.Core.Receipts.Receipt.NewId(), issuedAt, null, VerificationHarness.Now, new ReceiptVerifier("vrf_x", "Bank +A", null), purpose,
            new ReceiptTarget("credit-code", "91653001MA7XKQ3P2N", null, 1, null, null), true, [new VerificationReason(ReasonCodes.Verified, "ok")], null);
}
