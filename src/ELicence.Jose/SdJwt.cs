using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ELicence.Jose;

/// <summary>The SD-JWT mechanics of RFC 9901 that this service uses: sha-256 digests, the combined format and <c>sd_hash</c>.</summary>
public static class SdJwt
{
    public const string HashAlgorithm = "sha-256";
    public const string KeyBindingType = "kb+jwt";

    /// <summary>Presentations longer than this are refused before any parsing.</summary>
    public const int MaxLength = 64 * 1024;

    /// <summary>The digest of a disclosure: base64url of SHA-256 over the ASCII of its encoded form (RFC 9901 §4.2.3).</summary>
    public static string DigestOf(string encoded) => B64Url.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(encoded)));

    /// <summary>Joins an SD-JWT: the issuer JWT, each disclosure followed by '~', then the KB-JWT (or nothing).</summary>
    public static string Combine(string issuerJwt, IEnumerable<Disclosure> disclosures, string? keyBindingJwt = null) =>
        new SdJwtParts(issuerJwt, disclosures.Select(d => d.Encoded).ToList(), keyBindingJwt).WithoutKeyBinding + keyBindingJwt;

    public static bool TrySplit(string? presented, [NotNullWhen(true)] out SdJwtParts? parts, out string error)
    {
        parts = null;
        if (string.IsNullOrEmpty(presented) || presented.Length > MaxLength)
        {
            error = "The presentation is empty or too long.";
            return false;
        }

        var pieces = presented.Split('~');
        if (pieces.Length < 2 || pieces[0].Length == 0)
        {
            error = "An SD-JWT is an issuer-signed JWT followed by '~', its disclosures each followed by '~', and a key-binding JWT.";
            return false;
        }

        var disclosures = pieces[1..^1];
        if (disclosures.Any(d => d.Length == 0))
        {
            error = "The presentation has an empty disclosure ('~~').";
            return false;
        }

        parts = new SdJwtParts(pieces[0], disclosures, pieces[^1].Length == 0 ? null : pieces[^1]);
        error = "";
        return true;
    }

    /// <summary>The <c>sd_hash</c> a KB-JWT carries: base64url SHA-256 over the ASCII of the SD-JWT up to and including the last '~'.</summary>
    public static string SdHash(SdJwtParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        return B64Url.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(parts.WithoutKeyBinding)));
    }
}
