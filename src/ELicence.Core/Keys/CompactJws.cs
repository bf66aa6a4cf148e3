using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace ELicence.Core.Keys;

/// <summary>A compact JWS (RFC 7515) signed with EdDSA/Ed25519 (RFC 8037).</summary>
public sealed record ParsedJws(string Algorithm, string? KeyId, string? Type, byte[] Payload, byte[] SigningInput, byte[] Signature);

public static class CompactJws
{
    /// <summary>Tokens longer than this are refused before any parsing.</summary>
    public const int MaxLength = 32 * 1024;

    public static string Sign(SigningKey key, string type, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var headerStream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(headerStream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("alg", SigningKey.Algorithm);
            writer.WriteString("kid", key.KeyId);
            writer.WriteString("typ", type);
            writer.WriteEndObject();
        }

        var signingInput = B64Url.Encode(headerStream.ToArray()) + "." + B64Url.Encode(payload);
        var signature = key.Sign(Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + B64Url.Encode(signature);
    }

    /// <summary>Parses the structure and header; the signature is not checked here.</summary>
    public static bool TryParse(string? compact, [NotNullWhen(true)] out ParsedJws? jws, out string error)
    {
        jws = null;
        if (string.IsNullOrEmpty(compact) || compact.Length > MaxLength)
        {
            error = "The token is empty or too long.";
            return false;
        }

        var parts = compact.Split('.');
        if (parts.Length != 3)
        {
            error = "A compact JWS has three dot-separated parts.";
            return false;
        }

        if (!B64Url.TryDecode(parts[0], out var headerBytes) || !B64Url.TryDecode(parts[1], out var payload) || !B64Url.TryDecode(parts[2], out var signature))
        {
            error = "A part of the token is not base64url.";
            return false;
        }

        string? alg = null, kid = null, typ = null;
        try
        {
            using var header = JsonDocument.Parse(headerBytes);
            if (header.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "The JWS header is not a JSON object.";
                return false;
            }

            foreach (var member in header.RootElement.EnumerateObject())
            {
                switch (member.Name)
                {
                    case "alg" when member.Value.ValueKind == JsonValueKind.String: alg = member.Value.GetString(); break;
                    case "kid" when member.Value.ValueKind == JsonValueKind.String: kid = member.Value.GetString(); break;
                    case "typ" when member.Value.ValueKind == JsonValueKind.String: typ = member.Value.GetString(); break;
                    case "crit":
                        error = "The token has critical header parameters this service does not understand.";
                        return false;
                }
            }
        }
        catch (JsonException)
        {
            error = "The JWS header is not JSON.";
            return false;
        }

        if (alg is null)
        {
            error = "The JWS header has no alg.";
            return false;
        }

        jws = new ParsedJws(alg, kid, typ, payload, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature);
        error = string.Empty;
        return true;
    }
}
