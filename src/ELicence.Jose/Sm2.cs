using RandomNumberGenerator = System.Security.Cryptography.RandomNumberGenerator;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;
using Org.BouncyCastle.Math.EC.Multiplier;
using Org.BouncyCastle.Utilities;

namespace ELicence.Jose;

/// <summary>
/// SM2 signatures with SM3 (GB/T 32918.2, GB/T 32905) on the recommended curve sm2p256v1, with the signer ID
/// <c>1234567812345678</c> that GM/T 0009 specifies. Keys and signatures travel as JOSE does for ECDSA: the private key
/// is the 32-byte scalar d, the public key x‖y (32 bytes each), a signature r‖s (32 bytes each, not DER).
/// </summary>
public static class Sm2
{
    public const int PrivateKeyLength = 32;
    public const int PublicKeyLength = 64;
    public const int SignatureLength = 64;

    /// <summary>The default signer ID of GM/T 0009 (ASCII), which OpenSSL's <c>distid</c> option names.</summary>
    public static ReadOnlySpan<byte> SignerId => "1234567812345678"u8;

    /// <summary>
    /// The sm2p256v1 domain with BouncyCastle's custom field arithmetic (SM2P256V1Curve). GMNamedCurves, which most code
    /// reaches for, gives the generic BigInteger-based curve, several times slower.
    /// </summary>
    public static ECDomainParameters Domain { get; } = new(CustomNamedCurves.GetByName("sm2p256v1"));

    /// <summary>A new private key: d uniformly in [1, n-2] (GB/T 32918.1 §6.1).</summary>
    public static byte[] NewPrivateKey()
    {
        var n = Domain.N;
        while (true)
        {
            var d = new BigInteger(1, RandomNumberGenerator.GetBytes(PrivateKeyLength));
            if (d.SignValue > 0 && d.CompareTo(n.Subtract(BigInteger.Two)) <= 0)
            {
                return BigIntegers.AsUnsignedByteArray(PrivateKeyLength, d);
            }
        }
    }

    /// <summary>True when <paramref name="privateKey"/> is a valid scalar (32 bytes, in [1, n-2]).</summary>
    public static bool IsValidPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != PrivateKeyLength)
        {
            return false;
        }

        var d = new BigInteger(1, privateKey.ToArray());
        return d.SignValue > 0 && d.CompareTo(Domain.N.Subtract(BigInteger.Two)) <= 0;
    }

    public static byte[] PublicKeyFromPrivate(ReadOnlySpan<byte> privateKey)
    {
        var q = new FixedPointCombMultiplier().Multiply(Domain.G, Scalar(privateKey)).Normalize();
        return Encode(q);
    }

    /// <summary>
    /// Signs as GB/T 32918.2 §6.1 does, with k derived from d and e as RFC 6979 §3.2 derives it (HMAC-SM3) instead of drawn
    /// at random: the same key and message always give the same signature, and no weak random number can leak d. A
    /// verifier cannot tell the difference.
    /// </summary>
    public static byte[] Sign(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> message) =>
        Sign(privateKey, message, new HMacDsaKCalculator(new SM3Digest()));

    /// <summary>Signs with the k that <paramref name="k"/> gives (a fixed one reproduces the standard's worked example).</summary>
    internal static byte[] Sign(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> message, IDsaKCalculator k)
    {
        var d = Scalar(privateKey);
        var n = Domain.N;
        var e = new BigInteger(1, HashWithZ(Z(PublicKeyFromPrivate(privateKey)), message));
        if (k.IsDeterministic)
        {
            k.Init(n, d, BigIntegers.AsUnsignedByteArray(32, e));
        }
        else
        {
            k.Init(n, new Org.BouncyCastle.Security.SecureRandom());
        }

        var multiplier = new FixedPointCombMultiplier();
        var dPlus1Inverse = BigIntegers.ModOddInverse(n, d.Add(BigInteger.One));
        while (true)
        {
            var kValue = k.NextK();
            var x1 = multiplier.Multiply(Domain.G, kValue).Normalize().AffineXCoord.ToBigInteger();
            var r = e.Add(x1).Mod(n);
            if (r.SignValue == 0 || r.Add(kValue).Equals(n))
            {
                continue;
            }

            var s = dPlus1Inverse.Multiply(kValue.Subtract(r.Multiply(d))).Mod(n);
            if (s.SignValue != 0)
            {
                var signature = new byte[SignatureLength];
                BigIntegers.AsUnsignedByteArray(r, signature, 0, 32);
                BigIntegers.AsUnsignedByteArray(s, signature, 32, 32);
                return signature;
            }
        }
    }

    /// <summary>BouncyCastle's stock <see cref="SM2Signer"/>: the reference the fast <see cref="Sm2Verifier"/> is tested and measured against.</summary>
    public static bool VerifyWithStockSigner(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, ECDomainParameters? domain = null, byte[]? signerId = null)
    {
        domain ??= Domain;
        if (signature.Length != SignatureLength || !TryDecodePoint(domain, publicKey, out var q))
        {
            return false;
        }

        var signer = new SM2Signer(PlainDsaEncoding.Instance);
        signer.Init(false, new ParametersWithID(new ECPublicKeyParameters(q, domain), signerId ?? SignerId.ToArray()));
        signer.BlockUpdate(message);
        return signer.VerifySignature(signature.ToArray());
    }

    /// <summary>Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA), the signer's identity hash (GB/T 32918.2 §5.5).</summary>
    internal static byte[] Z(ReadOnlySpan<byte> publicKey, ECDomainParameters? domain = null, ReadOnlySpan<byte> signerId = default)
    {
        domain ??= Domain;
        if (signerId.IsEmpty)
        {
            signerId = SignerId;
        }

        var sm3 = new SM3Digest();
        var bits = signerId.Length * 8;
        sm3.Update((byte)(bits >> 8));
        sm3.Update((byte)bits);
        sm3.BlockUpdate(signerId);
        var length = PublicKeyLength / 2;
        sm3.BlockUpdate(BigIntegers.AsUnsignedByteArray(length, domain.Curve.A.ToBigInteger()));
        sm3.BlockUpdate(BigIntegers.AsUnsignedByteArray(length, domain.Curve.B.ToBigInteger()));
        sm3.BlockUpdate(BigIntegers.AsUnsignedByteArray(length, domain.G.AffineXCoord.ToBigInteger()));
        sm3.BlockUpdate(BigIntegers.AsUnsignedByteArray(length, domain.G.AffineYCoord.ToBigInteger()));
        sm3.BlockUpdate(publicKey);
        var z = new byte[sm3.GetDigestSize()];
        sm3.DoFinal(z);
        return z;
    }

    /// <summary>e = SM3(Z ‖ M).</summary>
    internal static byte[] HashWithZ(ReadOnlySpan<byte> z, ReadOnlySpan<byte> message)
    {
        var sm3 = new SM3Digest();
        sm3.BlockUpdate(z);
        sm3.BlockUpdate(message);
        var e = new byte[sm3.GetDigestSize()];
        sm3.DoFinal(e);
        return e;
    }

    /// <summary>Decodes x‖y into a point that is on the curve and not the point at infinity (BouncyCastle validates both).</summary>
    internal static bool TryDecodePoint(ECDomainParameters domain, ReadOnlySpan<byte> publicKey, out ECPoint point)
    {
        point = domain.Curve.Infinity;
        if (publicKey.Length != PublicKeyLength)
        {
            return false;
        }

        var uncompressed = new byte[PublicKeyLength + 1];
        uncompressed[0] = 0x04;
        publicKey.CopyTo(uncompressed.AsSpan(1));
        try
        {
            point = domain.ValidatePublicPoint(domain.Curve.DecodePoint(uncompressed));
            return true;
        }
        catch (ArgumentException)
        {
            return false; // coordinates out of range, not on the curve, or the point at infinity
        }
    }

    private static byte[] Encode(ECPoint point) => point.GetEncoded(false)[1..];

    private static BigInteger Scalar(ReadOnlySpan<byte> privateKey) =>
        IsValidPrivateKey(privateKey) ? new BigInteger(1, privateKey.ToArray()) : throw new ArgumentException("Not an SM2 private key.", nameof(privateKey));
}
