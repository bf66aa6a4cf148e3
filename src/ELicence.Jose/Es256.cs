using System.Security.Cryptography;
using System.Text;

namespace ELicence.Jose;

/// <summary>
/// ES256 (RFC 7518 §3.4): ECDSA over P-256 with SHA-256, the signature r‖s (64 bytes), through the platform's ECDsa.
/// A private key is the 32-byte scalar d; a public key x‖y (64 bytes).
/// </summary>
public static class Es256
{
    public const string Algorithm = "ES256";
    public const string Curve = "P-256";
    public const int PrivateKeyLength = 32;
    public const int PublicKeyLength = 64;

    public static byte[] NewPrivateKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportParameters(true).D!;
    }

    public static bool IsValidPrivateKey(ReadOnlySpan<byte> d)
    {
        if (d.Length != PrivateKeyLength)
        {
            return false;
        }

        try
        {
            PublicKeyFromPrivate(d);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public static byte[] PublicKeyFromPrivate(ReadOnlySpan<byte> d)
    {
        using var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d.ToArray() });
        var q = key.ExportParameters(false).Q;
        return [.. q.X!, .. q.Y!];
    }

    /// <summary>The platform key of a private scalar (its public point derived).</summary>
    public static ECDsa PrivateKey(ReadOnlySpan<byte> d)
    {
        var publicKey = PublicKeyFromPrivate(d);
        return ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            D = d.ToArray(),
            Q = new ECPoint { X = publicKey[..32], Y = publicKey[32..] },
        });
    }

    /// <summary>The platform key of a public point x‖y; throws when it is not on the curve.</summary>
    public static ECDsa PublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != PublicKeyLength)
        {
            throw new CryptographicException("A P-256 public key is x‖y, 64 bytes.");
        }

        return ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = publicKey[..32].ToArray(), Y = publicKey[32..].ToArray() },
        });
    }

    public static byte[] Sign(ECDsa key, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>Whether <paramref name="signature"/> (r‖s) signs <paramref name="data"/> under the point x‖y; false for any malformed input.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != 64)
        {
            return false;
        }

        try
        {
            using var key = PublicKey(publicKey);
            return key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>RFC 7638 thumbprint of the key's JWK.</summary>
    public static string Thumbprint(ReadOnlySpan<byte> publicKey) => EcThumbprint.Of(Curve, publicKey);
}
