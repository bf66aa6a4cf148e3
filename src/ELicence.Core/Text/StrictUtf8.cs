using System.Text;
using System.Text.Json;

namespace ELicence.Core.Text;

/// <summary>
/// The one decoder for text that reaches the service as bytes: UTF-8 that is not valid is refused, never repaired.
/// Repairing turns each bad sequence into U+FFFD, and what a registrar sent as "A\xC3(\xA9B" would be signed into the
/// register as "A�(�B"; a JSON text must be UTF-8 (RFC 8259, section 8.1), so a body that is not is a client's error.
/// </summary>
public static class StrictUtf8
{
    /// <summary>Throws on invalid bytes when decoding, and on lone surrogates when encoding (never a replacement character).</summary>
    public static readonly UTF8Encoding Encoding = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The byte offset of the first invalid UTF-8 sequence, or null when all of it is valid.</summary>
    public static int? FirstInvalidByte(ReadOnlySpan<byte> bytes)
    {
        try
        {
            _ = Encoding.GetCharCount(bytes);
            return null;
        }
        catch (DecoderFallbackException e)
        {
            return Math.Max(e.Index, 0);
        }
    }

    /// <summary>
    /// Refuses a JSON body that is not valid UTF-8: a validation problem naming the member whose name or string value
    /// holds the bad bytes, or, outside any string, a malformed-JSON problem with the offset.
    /// </summary>
    public static void EnsureJson(ReadOnlySpan<byte> json)
    {
        if (FirstInvalidByte(json) is not { } offset)
        {
            return;
        }

        var field = MemberAt(json, offset);
        var message = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Is not valid UTF-8 (byte {offset} of the body); send text as UTF-8.");
        throw field is null
            ? new ProblemException(ProblemType.MalformedJson, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The body is not valid UTF-8 (byte {offset}); JSON must be UTF-8."))
            : ProblemException.Invalid(field, message);
    }

    /// <summary>The path (<c>english.name</c>, <c>scopes[1]</c>) of the string value or member name that spans <paramref name="offset"/>, if the JSON reaches it.</summary>
    private static string? MemberAt(ReadOnlySpan<byte> json, int offset)
    {
        var reader = new Utf8JsonReader(json);
        var containers = new List<Container>();
        string? property = null;
        try
        {
            while (reader.Read())
            {
                var spans = offset >= reader.TokenStartIndex && offset < reader.BytesConsumed;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName when spans:
                        return containers.Count > 1 ? containers[^1].Path : "(a member name)";
                    case JsonTokenType.PropertyName:
                        property = reader.GetString();
                        continue;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        containers.Add(new Container(reader.TokenType == JsonTokenType.StartArray, Current(containers, property)));
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        containers.RemoveAt(containers.Count - 1);
                        break;
                    case JsonTokenType.String when spans:
                        return Current(containers, property);
                }

                if (containers.Count > 0 && containers[^1].IsArray)
                {
                    containers[^1].Index++;
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }

        return null;
    }

    private static string Current(List<Container> containers, string? property) => containers.Count switch
    {
        0 => "",
        _ when containers[^1].IsArray => $"{containers[^1].Path}[{containers[^1].Index}]",
        1 => property ?? "",
        _ => $"{containers[^1].Path}.{property}",
    };

    private sealed class Container(bool isArray, string path)
    {
        public bool IsArray { get; } = isArray;

        public string Path { get; } = path;

        public int Index { get; set; }
    }
}
