using System.Text.Json;
using System.Text.Json.Serialization;

namespace ELicence.Core.Credentials;

/// <summary>
/// Text of a credential in Chinese and, where given, English, written as VC 2.0 language value objects
/// (<c>[{"@value": "…", "@language": "zh-CN"}, {"@value": "…", "@language": "en"}]</c>), the shape the VC 2.0
/// data model recommends for multilingual strings.
/// </summary>
[JsonConverter(typeof(LocalizedTextConverter))]
public sealed record LocalizedText(string Chinese, string? English)
{
    public const string ChineseTag = "zh-CN";
    public const string EnglishTag = "en";
}

/// <summary>Writes <see cref="LocalizedText"/> as language value objects; also reads a bare string (credentials issued before them) as Chinese.</summary>
public sealed class LocalizedTextConverter : JsonConverter<LocalizedText>
{
    public override LocalizedText? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new LocalizedText(reader.GetString()!, null);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Expected an array of language value objects.");
        }

        string? chinese = null, english = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            using var item = JsonDocument.ParseValue(ref reader);
            var root = item.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("@value", out var value) || value.ValueKind != JsonValueKind.String)
            {
                throw new JsonException("Expected a language value object with a string @value.");
            }

            var language = root.TryGetProperty("@language", out var tag) ? tag.GetString() : null;
            if (string.Equals(language, LocalizedText.EnglishTag, StringComparison.OrdinalIgnoreCase))
            {
                english = value.GetString();
            }
            else if (chinese is null)
            {
                chinese = value.GetString();
            }
        }

        return new LocalizedText(chinese ?? throw new JsonException("No Chinese value."), english);
    }

    public override void Write(Utf8JsonWriter writer, LocalizedText value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartArray();
        WriteValue(writer, value.Chinese, LocalizedText.ChineseTag);
        if (!string.IsNullOrEmpty(value.English))
        {
            WriteValue(writer, value.English, LocalizedText.EnglishTag);
        }

        writer.WriteEndArray();
    }

    private static void WriteValue(Utf8JsonWriter writer, string text, string language)
    {
        writer.WriteStartObject();
        writer.WriteString("@value", text);
        writer.WriteString("@language", language);
        writer.WriteEndObject();
    }
}
