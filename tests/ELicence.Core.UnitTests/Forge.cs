using System.Security.Cryptography;
using System.Text;
using ELicence.Core.Keys;

namespace ELicence.Testing;

/// <summary>Builds compact JWS by hand, byte for byte, so a test can make exactly the malformed or hostile token it means.</summary>
internal static class Forge
{
    public static string Part(string text) => B64Url.Encode(Encoding.UTF8.GetBytes(text));

    /// <summary>A token from a header (JSON text), a payload and a signature, each encoded as base64url.</summary>
    public static string Token(string headerJson, byte[] payload, byte[] signature) =>
        $"{Part(headerJson)}.{B64Url.Encode(payload)}.{B64Url.Encode(signature)}";

    /// <summary>A token whose header (JSON text) and payload are signed with Ed25519 by <paramref name="key"/>.</summary>
    public static string Signed(SigningKey key, string headerJson, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(key);
        var input = $"{Part(headerJson)}.{B64Url.Encode(payload)}";
        return $"{input}.{B64Url.Encode(key.Sign(Encoding.ASCII.GetBytes(input)))}";
    }

    /// <summary>The header this service writes, with optional extra members (JSON text starting with a comma).</summary>
    public static string Header(string kid, string typ = "vc+jwt", string alg = "EdDSA", string extra = "") =>
        $$"""{"alg":"{{alg}}","kid":"{{kid}}","typ":"{{typ}}"{{extra}}}""";

    /// <summary>A header and payload re-signed by <paramref name="key"/>: the payload of <paramref name="genuine"/> under a new header.</summary>
    public static string Resigned(SigningKey key, string genuine, string headerJson) => Signed(key, headerJson, PayloadOf(genuine));

    /// <summary>HS256 over the signing input, keyed with the public key bytes (the classic RS/HS confusion, here with the JWK's x).</summary>
    public static string Hs256(string headerJson, byte[] payload, byte[] hmacKey)
    {
        var input = $"{Part(headerJson)}.{B64Url.Encode(payload)}";
        return $"{input}.{B64Url.Encode(HMACSHA256.HashData(hmacKey, Encoding.ASCII.GetBytes(input)))}";
    }

    public static byte[] PayloadOf(string jws) => Decode(jws.Split('.')[1]);

    public static byte[] SignatureOf(string jws) => Decode(jws.Split('.')[2]);

    /// <summary>The same token with another signature.</summary>
    public static string WithSignature(string jws, byte[] signature)
    {
        var parts = jws.Split('.');
        return $"{parts[0]}.{parts[1]}.{B64Url.Encode(signature)}";
    }

    /// <summary>The same token with one part replaced by raw text (which may be deliberately non-canonical base64url).</summary>
    public static string WithRawPart(string jws, int index, string raw)
    {
        var parts = jws.Split('.');
        parts[index] = raw;
        return string.Join('.', parts);
    }

    public static byte[] Decode(string part) =>
        B64Url.TryDecode(part, out var bytes) ? bytes : throw new FormatException($"Not base64url: {part}");
}
