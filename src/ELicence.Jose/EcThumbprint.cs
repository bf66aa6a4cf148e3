using System.Security.Cryptography;
using System.Text;

namespace ELicence.Jose;

/// <summary>RFC 7638 thumbprints of EC JWKs (P-256, SM2): SHA-256 over crv, kty, x, y in that order, no white space.</summary>
public static class EcThumbprint
{
    /// <param name="publicKey">x‖y, 32 bytes each.</param>
    public static string Of(string curve, ReadOnlySpan<byte> publicKey)
    {
        var canonical = $"{{\"crv\":\"{curve}\",\"kty\":\"EC\",\"x\":\"{B64Url.Encode(publicKey[..32])}\",\"y\":\"{B64Url.Encode(publicKey[32..])}\"}}";
        return B64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
