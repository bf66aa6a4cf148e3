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
/// SM2 verification for one fixed public key, about three times faster than <see cref="SM2Signer"/>: Z is hashed once per
/// key, and s·G + t·P is one comb evaluation over fixed-point tables of both G and P (built once), so the 43 doublings of
/// a width-6 comb are shared by both scalars instead of the 256 of a double-and-add.
/// </summary>
public sealed class Sm2Verifier
{
    private readonly ECDomainParameters _domain;
    private readonly byte[] _z;
    private readonly FixedPointPreCompInfo _gTable;
    private readonly FixedPointPreCompInfo _pTable;
    private readonly int _combSize;

    private Sm2Verifier(ECDomainParameters domain, ECPoint publicPoint, byte[] z)
    {
        _domain = domain;
        _z = z;
        _combSize = FixedPointUtilities.GetCombSize(domain.Curve);
        _gTable = FixedPointUtilities.Precompute(domain.G);
        _pTable = FixedPointUtilities.Precompute(publicPoint);
        if (_gTable.Width != _pTable.Width)
        {
            throw new InvalidOperationException("Both comb tables of one curve have the same width.");
        }
    }

    /// <summary>A verifier for x‖y, or null when it is not a point of the curve.</summary>
    public static Sm2Verifier? TryCreate(ReadOnlySpan<byte> publicKey, ECDomainParameters? domain = null, byte[]? signerId = null)
    {
        domain ??= Sm2.Domain;
        return Sm2.TryDecodePoint(domain, publicKey, out var point)
            ? new Sm2Verifier(domain, point, Sm2.Z(publicKey, domain, signerId ?? Sm2.SignerId))
            : null;
    }

    /// <summary>GB/T 32918.2 §7.1: r, s in [1, n-1]; e = SM3(Z ‖ M); t = r + s mod n ≠ 0; (x1, y1) = s·G + t·P; valid when (e + x1) mod n = r.</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != Sm2.SignatureLength)
        {
            return false;
        }

        var n = _domain.N;
        var r = new BigInteger(1, signature[..32].ToArray());
        var s = new BigInteger(1, signature[32..].ToArray());
        if (r.SignValue == 0 || r.CompareTo(n) >= 0 || s.SignValue == 0 || s.CompareTo(n) >= 0)
        {
            return false;
        }

        var t = r.Add(s).Mod(n);
        if (t.SignValue == 0)
        {
            return false;
        }

        var point = SumOfCombs(s, t).Normalize();
        if (point.IsInfinity)
        {
            return false;
        }

        var e = new BigInteger(1, Sm2.HashWithZ(_z, message));
        return e.Add(point.AffineXCoord.ToBigInteger()).Mod(n).Equals(r);
    }

    /// <summary>a·G + b·P as BouncyCastle's FixedPointCombMultiplier computes each, with the doublings shared.</summary>
    private ECPoint SumOfCombs(BigInteger a, BigInteger b)
    {
        var width = _gTable.Width;
        var d = (_combSize + width - 1) / width;
        var fullComb = d * width;
        var aBits = Words(fullComb, a);
        var bBits = Words(fullComb, b);
        var top = fullComb - 1;
        var result = _domain.Curve.Infinity;
        for (var i = 0; i < d; ++i)
        {
            uint aIndex = 0, bIndex = 0;
            for (var j = top - i; j >= 0; j -= d)
            {
                aIndex = CombStep(aIndex, aBits[j >> 5] >> j);
                bIndex = CombStep(bIndex, bBits[j >> 5] >> j);
            }

            // Verification handles only public values, so the variable-time lookups are safe.
            result = result.TwicePlus(_gTable.LookupTable.LookupVar((int)aIndex)).Add(_pTable.LookupTable.LookupVar((int)bIndex));
        }

        return result.Add(_gTable.Offset).Add(_pTable.Offset);
    }

    /// <summary>The scalar as little-endian 32-bit words, enough of them for <paramref name="bits"/> bits.</summary>
    private static uint[] Words(int bits, BigInteger k)
    {
        var words = new uint[(bits + 31) / 32];
        var bytes = BigIntegers.AsUnsignedByteArray(words.Length * 4, k);
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(bytes.Length - ((i + 1) * 4), 4));
        }

        return words;
    }

    private static uint CombStep(uint index, uint bit) => ((index ^ (bit >> 1)) << 1) ^ bit;
}
