using FsCheck;
using FsCheck.Fluent;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities;
using ELicence.Core.UnitTests.Properties;
using ELicence.Jose;

namespace ELicence.Jose.Tests;

public class Sm2Tests
{
    // GB/T 32918.5-2017 (GM/T 0003.5) worked example on the recommended curve sm2p256v1, signer ID 1234567812345678.
    private const string ExampleD = "3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8";
    private const string ExamplePublic = "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13";
    private const string ExampleZ = "B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3";
    private const string ExampleE = "F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640";
    private const string ExampleK = "59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21";
    private const string ExampleSignature = "F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA";
    private static readonly byte[] ExampleMessage = "message digest"u8.ToArray();

    [Fact]
    public void Reproduces_the_GB_T_32918_worked_example()
    {
        var d = Convert.FromHexString(ExampleD);
        var publicKey = Convert.FromHexString(ExamplePublic);

        Assert.Equal(ExamplePublic, Convert.ToHexString(Sm2.PublicKeyFromPrivate(d)));
        Assert.Equal(ExampleZ, Convert.ToHexString(Sm2.Z(publicKey)));
        Assert.Equal(ExampleE, Convert.ToHexString(Sm2.HashWithZ(Sm2.Z(publicKey), ExampleMessage)));
        Assert.Equal(ExampleSignature, Convert.ToHexString(Sm2.Sign(d, ExampleMessage, new FixedK(ExampleK))));
    }

    [Fact]
    public void Both_verifiers_accept_the_worked_example_and_refuse_it_altered()
    {
        var publicKey = Convert.FromHexString(ExamplePublic);
        var signature = Convert.FromHexString(ExampleSignature);
        var fast = Sm2Verifier.TryCreate(publicKey)!;

        Assert.True(fast.Verify(ExampleMessage, signature));
        Assert.True(Sm2.VerifyWithStockSigner(publicKey, ExampleMessage, signature));
        Assert.False(fast.Verify("message digesT"u8, signature));
        Assert.False(Sm2.VerifyWithStockSigner(publicKey, "message digesT"u8, signature));
    }

    [Fact]
    public void A_signature_made_for_another_signer_id_does_not_verify()
    {
        var publicKey = Convert.FromHexString(ExamplePublic);
        var signature = Convert.FromHexString(ExampleSignature);

        Assert.False(Sm2Verifier.TryCreate(publicKey, signerId: "ALICE123@YAHOO.COM"u8.ToArray())!.Verify(ExampleMessage, signature));
    }

    [Fact]
    public void Signing_is_deterministic_and_verifies_with_the_stock_signer()
    {
        var d = Sm2.NewPrivateKey();
        var message = "eyJhbGciOiJTTTIifQ.e30"u8.ToArray();

        var first = Sm2.Sign(d, message);

        Assert.Equal(first, Sm2.Sign(d, message));
        Assert.NotEqual(first, Sm2.Sign(d, "eyJhbGciOiJTTTIifQ.e31"u8));
        Assert.True(Sm2.VerifyWithStockSigner(Sm2.PublicKeyFromPrivate(d), message, first));
    }

    [Fact]
    public void Fast_verify_agrees_with_the_stock_signer_on_random_valid_and_tampered_inputs()
    {
        var d = Sm2.NewPrivateKey();
        var publicKey = Sm2.PublicKeyFromPrivate(d);
        var fast = Sm2Verifier.TryCreate(publicKey)!;
        var inputs = Gen.Zip(ArbMap.Default.GeneratorFor<byte[]>(), Gen.Zip(Gen.Choose(0, int.MaxValue), ArbMap.Default.GeneratorFor<bool>()));

        var ran = PropertyRun.Check(inputs, 100, input =>
        {
            var (message, (position, alterSignature)) = input;
            var signature = Sm2.Sign(d, message);
            Assert.True(fast.Verify(message, signature));
            Assert.True(Sm2.VerifyWithStockSigner(publicKey, message, signature));

            // One bit flipped, in the signature or in the message.
            var alterMessage = !alterSignature && message.Length > 0;
            var m = alterMessage ? Flip(message, position) : message;
            var s = alterMessage ? signature : Flip(signature, position);
            Assert.False(Sm2.VerifyWithStockSigner(publicKey, m, s));
            Assert.False(fast.Verify(m, s));
        });

        Assert.Equal(100 * PropertyRun.Scale, ran);
    }

    [Fact]
    public void Fast_verify_agrees_with_the_stock_signer_on_random_signature_bytes()
    {
        var publicKey = Sm2.PublicKeyFromPrivate(Sm2.NewPrivateKey());
        var fast = Sm2Verifier.TryCreate(publicKey)!;
        var signatures = Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), Sm2.SignatureLength);

        PropertyRun.Check(Gen.Zip(ArbMap.Default.GeneratorFor<byte[]>(), signatures), 100, input =>
            Assert.Equal(Sm2.VerifyWithStockSigner(publicKey, input.Item1, input.Item2), fast.Verify(input.Item1, input.Item2)));
    }

    private static byte[] Flip(byte[] data, int position)
    {
        var copy = data.ToArray();
        copy[position % copy.Length] ^= (byte)(1 << (position % 8));
        return copy;
    }

    public static TheoryData<string> OutOfRangeSignatures()
    {
        var n = Sm2.Domain.N;
        string Hex(BigInteger r, BigInteger s) => Convert.ToHexString(BigIntegers.AsUnsignedByteArray(32, r)) + Convert.ToHexString(BigIntegers.AsUnsignedByteArray(32, s));
        return new()
        {
            Hex(BigInteger.Zero, BigInteger.One),
            Hex(BigInteger.One, BigInteger.Zero),
            Hex(n, BigInteger.One),
            Hex(BigInteger.One, n),
            Hex(BigInteger.One, n.Subtract(BigInteger.One)), // r + s = n: t = 0
            ExampleSignature[..126], // 63 bytes
            ExampleSignature + "00", // 65 bytes
        };
    }

    [Theory]
    [MemberData(nameof(OutOfRangeSignatures))]
    public void Signatures_outside_the_ranges_of_the_standard_are_refused_by_both(string hex)
    {
        var publicKey = Convert.FromHexString(ExamplePublic);
        var signature = Convert.FromHexString(hex);

        Assert.False(Sm2Verifier.TryCreate(publicKey)!.Verify(ExampleMessage, signature));
        Assert.False(Sm2.VerifyWithStockSigner(publicKey, ExampleMessage, signature));
    }

    [Theory]
    [InlineData("")]
    [InlineData("09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD14")] // y + 1: off the curve
    [InlineData("00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFFCCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13")] // x = p
    public void A_public_key_that_is_not_a_curve_point_makes_no_verifier(string hex)
    {
        Assert.Null(Sm2Verifier.TryCreate(Convert.FromHexString(hex)));
        Assert.False(Sm2.VerifyWithStockSigner(Convert.FromHexString(hex), ExampleMessage, Convert.FromHexString(ExampleSignature)));
    }

    [Fact]
    public void Private_keys_outside_1_to_n_minus_2_are_refused()
    {
        var n = Sm2.Domain.N;
        Assert.False(Sm2.IsValidPrivateKey(new byte[32]));
        Assert.False(Sm2.IsValidPrivateKey(BigIntegers.AsUnsignedByteArray(32, n.Subtract(BigInteger.One))));
        Assert.True(Sm2.IsValidPrivateKey(BigIntegers.AsUnsignedByteArray(32, n.Subtract(BigInteger.Two))));
        Assert.Throws<ArgumentException>(() => Sm2.Sign(new byte[31], ExampleMessage));
    }

    /// <summary>The k of the standard's example, as a DSA k calculator.</summary>
    private sealed class FixedK(string hex) : IDsaKCalculator
    {
        public bool IsDeterministic => false;

        public void Init(BigInteger n, SecureRandom random)
        {
        }

        public void Init(BigInteger n, BigInteger d, byte[] message) => throw new NotSupportedException();

        public BigInteger NextK() => new(hex, 16);
    }
}
