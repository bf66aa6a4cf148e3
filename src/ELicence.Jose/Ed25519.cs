using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;

namespace ELicence.Jose;

/// <summary>Ed25519 (RFC 8032) through BouncyCastle.</summary>
public static class Ed25519
{
    /// <summary>The JWS alg of Ed25519 (RFC 8037).</summary>
    public const string Algorithm = "EdDSA";

    public const int SeedLength = 32;
    public const int PublicKeyLength = 32;
    public const int SignatureLength = 64;

    public static byte[] NewSeed() => RandomNumberGenerator.GetBytes(SeedLength);

    public static byte[] PublicKeyFromSeed(ReadOnlySpan<byte> seed) =>
        new Ed25519PrivateKeyParameters(seed.ToArray(), 0).GeneratePublicKey().GetEncoded();

    public static byte[] Sign(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> message) => Sign(new Ed25519PrivateKeyParameters(seed), message);

    /// <summary>
    /// Signs with a private key prepared once: BouncyCastle derives its public key (a scalar multiplication, as costly as
    /// the signature itself) on first use and keeps it, so a key that signs often pays for it once (the service's signing keys).
    /// </summary>
    public static byte[] Sign(Ed25519PrivateKeyParameters key, ReadOnlySpan<byte> message)
    {
        var signature = new byte[SignatureLength];
        key.Sign(Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Algorithm.Ed25519, null, message, signature);
        return signature;
    }

    /// <summary>Whether the 32 bytes encode a point of the curve (BouncyCastle decodes lazily, so this decodes explicitly).</summary>
    public static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != PublicKeyLength)
        {
            return false;
        }

        try
        {
            return Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.ValidatePublicKeyFull(publicKey.ToArray(), 0);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeyLength || signature.Length != SignatureLength)
        {
            return false;
        }

        Ed25519PublicKeyParameters key;
        try
        {
            key = new Ed25519PublicKeyParameters(publicKey);
        }
        catch (ArgumentException)
        {
            return false; // not the encoding of a curve point: nothing verifies under it
        }

        // The spans straight to RFC 8032 verification: no copies of the message (Ed25519Signer buffers it in a stream).
        return key.Verify(Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Algorithm.Ed25519, null, message, signature);
    }
}
