using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ELicence.Core.Keys;

namespace ELicence.Core.Presentations;

/// <summary>One disclosure (RFC 9901 §4.2.1): the base64url of the JSON array [salt, claim name, claim value], and its digest.</summary>
public sealed record Disclosure(string Encoded, string Name, JsonElement Value, string Digest)
{
    /// <summary>A new disclosure with a 128-bit random salt (RFC 9901 §4.2.1 asks for at least 128 bits).</summary>
    public static Disclosure Create(string name, JsonNode? value)
    {
        var array = new JsonArray(B64Url.Encode(RandomNumberGenerator.GetBytes(16)), name, value);
        var encoded = B64Url.Encode(Encoding.UTF8.GetBytes(array.ToJsonString(ElicenceJson.Options)));
        using var parsed = JsonDocument.Parse(array.ToJsonString());
        return new Disclosure(encoded, name, parsed.RootElement[2].Clone(), SdJwt.DigestOf(encoded));
    }

    /// <summary>Reads a disclosure of an object property: three elements, a string salt and a claim name that is not reserved.</summary>
    public static bool TryParse(string encoded, [NotNullWhen(true)] out Disclosure? disclosure, out string error)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        disclosure = null;
        if (!B64Url.TryDecode(encoded, out var bytes) || !System.Text.Unicode.Utf8.IsValid(bytes))
        {
            error = "A disclosure is not base64url of UTF-8 text.";
            return false;
        }

        try
        {
            using var json = JsonDocument.Parse(bytes);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() != 3
                || root[0].ValueKind != JsonValueKind.String || root[1].ValueKind != JsonValueKind.String)
            {
                error = "A disclosure is a JSON array of a salt, a claim name and a value.";
                return false;
            }

            var name = root[1].GetString()!;
            if (name is "_sd" or "..." or "_sd_alg")
            {
                error = $"A disclosure may not name the reserved claim '{name}'.";
                return false;
            }

            disclosure = new Disclosure(encoded, name, root[2].Clone(), SdJwt.DigestOf(encoded));
            error = "";
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            error = "A disclosure is not valid JSON.";
            return false;
        }
    }
}

/// <summary>An SD-JWT split at its '~' separators (RFC 9901 §4): the issuer-signed JWT, the disclosures, and the key-binding JWT if any.</summary>
public sealed record SdJwtParts(string IssuerJwt, IReadOnlyList<string> Disclosures, string? KeyBindingJwt)
{
    /// <summary>The SD-JWT without its key-binding JWT, ending with '~': what the KB-JWT's <c>sd_hash</c> is computed over.</summary>
    public string WithoutKeyBinding => IssuerJwt + "~" + string.Concat(Disclosures.Select(d => d + "~"));
}

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
