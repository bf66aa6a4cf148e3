using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace ELicence.Jose;

/// <summary>
/// The general JWS JSON serialization (RFC 7515 §7.2.1) of a signed object: one payload, several signatures. Each
/// signature with the payload is exactly a compact JWS, which is how this service writes and reads it, so every check of
/// a compact JWS applies to each signature unchanged. Unprotected headers are neither written nor accepted.
/// </summary>
public static class JsonJws
{
    /// <summary>RFC 7515 §9.2.1.</summary>
    public const string MediaType = "application/jose+json";

    /// <summary>Texts longer than this are refused before any parsing.</summary>
    public const int MaxLength = 2 * CompactJws.MaxLength;

    /// <summary>
    /// Adds a signature with <paramref name="algorithm"/> and <paramref name="keyId"/> over the payload of
    /// <paramref name="compact"/>, with the same typ; the compact's signature comes first.
    /// </summary>
    public static string WithSecondSignature(string compact, string algorithm, string? keyId, CompactJws.SignatureFunc sign)
    {
        if (!CompactJws.TryParse(compact, out var parsed, out var error))
        {
            throw new ArgumentException(error, nameof(compact));
        }

        var second = CompactJws.Sign(algorithm, keyId, parsed.Type ?? throw new ArgumentException("The JWS has no typ.", nameof(compact)), parsed.Payload, sign);
        var first = compact.Split('.');
        var added = second.Split('.');
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("payload", first[1]);
            writer.WriteStartArray("signatures");
            foreach (var part in new[] { first, added })
            {
                writer.WriteStartObject();
                writer.WriteString("protected", part[0]);
                writer.WriteString("signature", part[2]);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// Reads a general JWS JSON serialization into one compact JWS per signature, in order. Only the members
    /// <c>payload</c> and <c>signatures</c>, and in each signature only <c>protected</c> and <c>signature</c>, each once and
    /// a string; at least one signature. The parts are checked as base64url when each compact JWS is parsed.
    /// </summary>
    public static bool TryParse(string? json, [NotNullWhen(true)] out IReadOnlyList<string>? compacts, out string error)
    {
        compacts = null;
        if (string.IsNullOrEmpty(json) || json.Length > MaxLength)
        {
            error = "The JWS JSON serialization is empty or too long.";
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (!TryMembers(document.RootElement, "the JWS JSON serialization", ["payload", "signatures"], out var top, out error))
            {
                return false;
            }

            if (top["payload"].ValueKind != JsonValueKind.String || top["signatures"] is not { ValueKind: JsonValueKind.Array } signatures || signatures.GetArrayLength() == 0)
            {
                error = "'payload' is a string and 'signatures' a non-empty array.";
                return false;
            }

            var payload = top["payload"].GetString()!;
            var list = new List<string>();
            foreach (var signature in signatures.EnumerateArray())
            {
                var where = $"signatures[{list.Count}]";
                if (!TryMembers(signature, where, ["protected", "signature"], out var members, out error))
                {
                    return false;
                }

                if (members["protected"].ValueKind != JsonValueKind.String || members["signature"].ValueKind != JsonValueKind.String)
                {
                    error = $"{where}: 'protected' and 'signature' are strings.";
                    return false;
                }

                list.Add($"{members["protected"].GetString()}.{payload}.{members["signature"].GetString()}");
            }

            compacts = list;
            error = string.Empty;
            return true;
        }
        catch (JsonException)
        {
            error = "It is not JSON.";
            return false;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            error = "It has text that is not valid Unicode (an unpaired surrogate)."; // ArgumentException: the text itself; InvalidOperationException: an escape, found on reading
            return false;
        }
    }

    /// <summary>An object with exactly the <paramref name="required"/> members, each once.</summary>
    private static bool TryMembers(JsonElement element, string where, string[] required, out Dictionary<string, JsonElement> members, out string error)
    {
        var found = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        members = found;
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = $"{where} is not a JSON object.";
            return false;
        }

        foreach (var member in element.EnumerateObject())
        {
            if (!required.Contains(member.Name, StringComparer.Ordinal))
            {
                error = $"{where} has a member '{(member.Name.Length > 40 ? member.Name[..40] + "…" : member.Name)}' this service does not accept (only {string.Join(", ", required)}; unprotected headers are not honoured).";
                return false;
            }

            if (!found.TryAdd(member.Name, member.Value))
            {
                error = $"{where} names '{member.Name}' more than once.";
                return false;
            }
        }

        var missing = required.FirstOrDefault(r => !found.ContainsKey(r));
        error = missing is null ? string.Empty : $"{where} has no '{missing}'.";
        return missing is null;
    }
}
