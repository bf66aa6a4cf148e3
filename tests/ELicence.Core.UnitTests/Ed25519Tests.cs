namespace ELicence.Core.UnitTests;

public class Ed25519Tests
{
    // RFC 8032 §7.1, TEST 1–3 and TEST 1024 is omitted for length: secret key, public key, message, signature.
    public static TheoryData<string, string, string, string> Rfc8032Vectors => new()
    {
        {
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        },
        {
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        },
        {
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        },
    };

    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
    public void Signs_and_verifies_the_RFC_8032_test_vectors(string secret, string publicKey, string message, string signature)
    {
        var seed = Convert.FromHexString(secret);
        var msg = Convert.FromHexString(message);

        Assert.Equal(publicKey, Convert.ToHexStringLower(Ed25519.PublicKeyFromSeed(seed)));
        Assert.Equal(signature, Convert.ToHexStringLower(Ed25519.Sign(seed, msg)));
        Assert.True(Ed25519.Verify(Convert.FromHexString(publicKey), msg, Convert.FromHexString(signature)));
    }

    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
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

    [Fact]
    public void The_key_id_is_the_RFC_8037_example_thumbprint()
    {
        // RFC 8037 Appendix A.3.
        Assert.Equal("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k", SigningKey.Thumbprint(B64("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")));
    }

    private static byte[] B64(string s) => B64Url.TryDecode(s, out var bytes) ? bytes : throw new FormatException(s);
}
