using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using ELicence.Core.Keys; // explicit: this file is also compiled into the integration tests
using ELicence.Jose;

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

    /// <summary>The same token with another payload (the header and signature kept).</summary>
    public static string WithPayload(string jws, string payload)
    {
        var parts = jws.Split('.');
        return $"{parts[0]}.{Part(payload)}.{parts[2]}";
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

    /// <summary>The group order of edwards25519, L = 2^252 + 27742317777372353535851937790883648493.</summary>
    public static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The signature with <paramref name="addend"/> added to S (little-endian, the second 32 bytes): S + L verifies in a verifier that skips the S &lt; L check.</summary>
    public static byte[] AddToS(byte[] signature, BigInteger addend)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var s = new BigInteger(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: false) + addend;
        var bytes = s.ToByteArray(isUnsigned: true, isBigEndian: false);
        if (bytes.Length > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(addend), "S + addend must still fit 32 bytes.");
        }

        var result = signature.ToArray();
        Array.Clear(result, 32, 32);
        bytes.CopyTo(result, 32);
        return result;
    }

    /// <summary>The same text with the unused low bits of its last character set: a lenient decoder reads the same bytes.</summary>
    public static string WithTrailingBits(string part)
    {
        ArgumentNullException.ThrowIfNull(part);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        if (part.Length % 4 is not (2 or 3))
        {
            throw new ArgumentException("This part has no unused bits: pick another.", nameof(part));
        }

        return part[..^1] + alphabet[alphabet.IndexOf(part[^1], StringComparison.Ordinal) | 1];
    }

    /// <summary>A token signed by <paramref name="key"/> of exactly <paramref name="length"/> characters: the genuine payload (plus spaces) under a padded header.</summary>
    public static string AtLength(SigningKey key, string genuine, int length)
    {
        ArgumentNullException.ThrowIfNull(key);
        var payload = Encoding.UTF8.GetString(PayloadOf(genuine));
        for (var spaces = 0; spaces < 4; spaces++)
        {
            var padded = Encoding.UTF8.GetBytes(payload + new string(' ', spaces));
            var headerChars = length - B64Url.Encode(padded).Length - 2 - 86;
            var bare = Header(key.KeyId, extra: ",\"pad\":\"\"").Length;
            for (var fill = Math.Max(0, (headerChars * 3 / 4) - bare - 3); fill <= (headerChars * 3 / 4) - bare + 3; fill++)
            {
                var header = Header(key.KeyId, extra: $",\"pad\":\"{new string('x', fill)}\"");
                if (Part(header).Length == headerChars)
                {
                    return Signed(key, header, padded);
                }
            }
        }

        throw new InvalidOperationException($"No padding reaches {length} characters exactly.");
    }
}
