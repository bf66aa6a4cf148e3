using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ELicence.OpenId4Vc.Jwt;

namespace ELicence.OpenId4Vc.Presentation;

/// <summary>
/// Decryption of a compact JWE (RFC 7516) made with <c>ECDH-ES</c> direct key agreement on P-256 (RFC 7518 §4.6, Concat KDF)
/// and <c>A128GCM</c> or <c>A256GCM</c>: what HAIP and OpenID4VP 1.0 §8.3 use for <c>direct_post.jwt</c>, encrypted to the
/// verifier's ephemeral key of one request. Anything else (another alg, a compression, a point off the curve) is refused.
/// </summary>
public static class EcdhEsJwe
{
    public static IReadOnlyList<string> Encryptions { get; } = ["A128GCM", "A256GCM"];

    public static bool TryDecrypt(string? compact, ECDiffieHellman recipient, [NotNullWhen(true)] out byte[]? plaintext, out string error)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        plaintext = null;
        var parts = compact?.Split('.') ?? [];
        if (parts.Length != 5 || parts[1].Length != 0
            || !SignedJwt.TryDecode(parts[0], out var headerBytes) || !SignedJwt.TryDecode(parts[2], out var iv)
            || !SignedJwt.TryDecode(parts[3], out var ciphertext) || !SignedJwt.TryDecode(parts[4], out var tag))
        {
            error = "Not a compact JWE with direct key agreement (five base64url parts, the encrypted key empty).";
            return false;
        }

        JsonElement header;
        try
        {
            using var doc = JsonDocument.Parse(headerBytes);
            header = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            error = "The JWE header is not JSON.";
            return false;
        }

        var enc = SignedJwt.Text(header, "enc");
        if (header.ValueKind != JsonValueKind.Object || SignedJwt.Text(header, "alg") != "ECDH-ES" || enc is null || !Encryptions.Contains(enc, StringComparer.Ordinal)
            || header.TryGetProperty("zip", out _) || header.TryGetProperty("crit", out _))
        {
            error = $"The JWE must be alg ECDH-ES with enc {string.Join(" or ", Encryptions)}, without zip or crit.";
            return false;
        }

        if (!header.TryGetProperty("epk", out var epk) || SignedJwt.Text(epk, "kty") != "EC" || SignedJwt.Text(epk, "crv") != "P-256"
            || !SignedJwt.TryDecode(SignedJwt.Text(epk, "x") ?? "", out var x) || !SignedJwt.TryDecode(SignedJwt.Text(epk, "y") ?? "", out var y) || x.Length != 32 || y.Length != 32
            || iv.Length != 12 || tag.Length != 16)
        {
            error = "The JWE's epk must be a P-256 public key, its iv 96 bits and its tag 128 bits.";
            return false;
        }

        try
        {
            using var ephemeral = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });
            var z = recipient.DeriveRawSecretAgreement(ephemeral.PublicKey);
            var key = ConcatKdf(z, enc, Info(header, "apu"), Info(header, "apv"), enc == "A128GCM" ? 16 : 32);
            plaintext = new byte[ciphertext.Length];
            using var aes = new AesGcm(key, 16);
            aes.Decrypt(iv, ciphertext, tag, plaintext, Encoding.ASCII.GetBytes(parts[0]));
            error = "";
            return true;
        }
        catch (CryptographicException)
        {
            plaintext = null;
            error = "The JWE does not decrypt with this request's key (wrong key, altered, or a point off the curve).";
            return false;
        }
    }

    /// <summary>RFC 7518 §4.6.2: Concat KDF (NIST SP 800-56A) with SHA-256; AlgorithmID is the enc value for direct agreement.</summary>
    internal static byte[] ConcatKdf(byte[] z, string algorithm, byte[] apu, byte[] apv, int keyBytes)
    {
        var otherInfo = new List<byte>();
        void Field(byte[] value)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, value.Length);
            otherInfo.AddRange(length);
            otherInfo.AddRange(value);
        }

        Field(Encoding.ASCII.GetBytes(algorithm));
        Field(apu);
        Field(apv);
        var bits = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bits, keyBytes * 8);
        otherInfo.AddRange(bits);
        var round = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(round, 1);
        return SHA256.HashData([.. round, .. z, .. otherInfo])[..keyBytes];
    }

    private static byte[] Info(JsonElement header, string name) =>
        SignedJwt.Text(header, name) is { } text && SignedJwt.TryDecode(text, out var bytes) ? bytes : [];
}
