using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace ELicence.OpenId4Vc.Jwt;

/// <summary>A compact JWS (RFC 7515) whose header and payload are JSON objects, read but not yet verified.</summary>
public sealed class SignedJwt
{
    private SignedJwt(JsonElement header, JsonElement payload, byte[] signingInput, byte[] signature)
    {
        Header = header;
        Payload = payload;
        SigningInput = signingInput;
        Signature = signature;
    }

    public JsonElement Header { get; }

    public JsonElement Payload { get; }

    public byte[] SigningInput { get; }

    public byte[] Signature { get; }

    public string? Algorithm => Text(Header, "alg");

    public string? Type => Text(Header, "typ");

    /// <summary>Reads three base64url parts, the first two JSON objects; anything else is an error saying what is wrong.</summary>
    public static bool TryParse(string? compact, [NotNullWhen(true)] out SignedJwt? jwt, out string error)
    {
        jwt = null;
        var parts = compact?.Split('.') ?? [];
        if (parts.Length != 3 || parts.Any(p => p.Length == 0))
        {
            error = "Not a compact JWS (three non-empty base64url parts).";
            return false;
        }

        if (!TryObject(parts[0], out var header) || !TryObject(parts[1], out var payload) || !TryDecode(parts[2], out var signature))
        {
            error = "The header and payload must be base64url JSON objects, the signature base64url.";
            return false;
        }

        jwt = new SignedJwt(header, payload, Encoding.ASCII.GetBytes(compact![..(parts[0].Length + 1 + parts[1].Length)]), signature);
        error = "";
        return true;
    }

    public static string? Text(JsonElement o, string name) => o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    public static long? Number(JsonElement o, string name) => o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var e) && e.TryGetInt64(out var n) ? n : null;

    internal static bool TryDecode(string text, out byte[] bytes) => ELicence.Jose.B64Url.TryDecode(text, out bytes);

    private static bool TryObject(string part, out JsonElement value)
    {
        value = default;
        if (!TryDecode(part, out var bytes))
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(bytes);
            value = doc.RootElement.Clone();
            return value.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
