using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ELicence.Jose;

/// <summary>One disclosure (RFC 9901 §4.2.1): the base64url of the JSON array [salt, claim name, claim value], and its digest.</summary>
public sealed record Disclosure(string Encoded, string Name, JsonElement Value, string Digest)
{
    /// <summary>A new disclosure with a 128-bit random salt (RFC 9901 §4.2.1 asks for at least 128 bits).</summary>
    public static Disclosure Create(string name, JsonNode? value, JsonSerializerOptions options)
    {
        var array = new JsonArray(B64Url.Encode(RandomNumberGenerator.GetBytes(16)), name, value);
        var encoded = B64Url.Encode(Encoding.UTF8.GetBytes(array.ToJsonString(options)));
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
