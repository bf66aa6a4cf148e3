using ELicence.Jose;

namespace ELicence.Jose.Tests;

public class Ed25519Tests
{
    [Theory]
    [MemberData(nameof(Rfc8032Vectors.Tests), MemberType = typeof(Rfc8032Vectors))]
    public void Signs_and_verifies_the_RFC_8032_test_vectors(string secret, string publicKey, string message, string signature)
    {
        var seed = Convert.FromHexString(secret);
        var msg = Convert.FromHexString(message);

        Assert.Equal(publicKey, Convert.ToHexStringLower(Ed25519.PublicKeyFromSeed(seed)));
        Assert.Equal(signature, Convert.ToHexStringLower(Ed25519.Sign(seed, msg)));
        Assert.True(Ed25519.Verify(Convert.FromHexString(publicKey), msg, Convert.FromHexString(signature)));
    }

    [Theory]
    [MemberData(nameof(Rfc8032Vectors.Tests), MemberType = typeof(Rfc8032Vectors))]
    public void A_changed_message_or_signature_does_not_verify(string secret, string publicKey, string message, string signature)
    {
        _ = secret;
        var msg = Convert.FromHexString(message + "00");
        var sig = Convert.FromHexString(signature);
        var flipped = sig.ToArray();
        flipped[10] ^= 0x01;

        Assert.False(Ed25519.Verify(Convert.FromHexString(publicKey), msg, sig));
        Assert.False(Ed25519.Verify(Convert.FromHexString(publicKey), Convert.FromHexString(message), flipped));
    }

    [Fact]
    public void The_RFC_8037_JWS_example_signature_is_reproduced()
    {
        // RFC 8037 Appendix A.1 key and A.4 signing input; the expected signature is A.4's.
        var seed = B64(("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"));
        var signingInput = Encoding.ASCII.GetBytes("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc");

        var signature = Ed25519.Sign(seed, signingInput);

        Assert.Equal("hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg", B64Url.Encode(signature));
        Assert.Equal("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", B64Url.Encode(Ed25519.PublicKeyFromSeed(seed)));
    }

    private static byte[] B64(string s) => B64Url.TryDecode(s, out var bytes) ? bytes : throw new FormatException(s);
}
