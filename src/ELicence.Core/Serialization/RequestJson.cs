using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ELicence.Core.Text;

namespace ELicence.Core.Serialization;

/// <summary>
/// Reads request bodies strictly: only the documented members, each with its documented JSON type (numbers as numbers,
/// dates as <c>YYYY-MM-DD</c> strings, enums as their kebab-case names), each once. A body that breaks a rule is a
/// validation problem naming the member; the body must be valid UTF-8 (<see cref="StrictUtf8"/>), never repaired; stored
/// documents keep <see cref="ElicenceJson"/>'s lenient reading.
/// </summary>
public static class RequestJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(ElicenceJson.Options)
        {
            NumberHandling = JsonNumberHandling.Strict,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            AllowDuplicateProperties = false,
            PropertyNameCaseInsensitive = false,
        };
        options.Converters.Clear();
        options.Converters.Add(new StrictEnumConverterFactory());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Deserializes a request body; throws a <see cref="ProblemException"/> (malformed JSON or a named invalid member).</summary>
    public static T Read<T>(byte[] utf8)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(utf8);
        StrictUtf8.EnsureJson(utf8);
        try
        {
            return JsonSerializer.Deserialize<T>(utf8, Options) ?? throw new ProblemException(ProblemType.MalformedJson, "The body is empty or null; send a JSON object.");
        }
        catch (JsonException e) when (e.Path is { Length: > 2 } path && e.InnerException is not JsonException)
        {
            throw ProblemException.Invalid(FieldOf(path), Explain(typeof(T), path, utf8));
        }
        catch (JsonException e)
        {
            throw new ProblemException(ProblemType.MalformedJson, $"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }
    }

    /// <summary><c>$.registeredCapital.amount</c> → <c>registeredCapital.amount</c>.</summary>
    private static string FieldOf(string path) => path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static string Explain(Type root, string path, byte[] utf8)
    {
        if (HasDuplicateMember(utf8))
        {
            return "Appears more than once in its object; send each member once.";
        }

        var (parent, member) = Resolve(root, path);
        if (parent is null)
        {
            return "Has the wrong type.";
        }

        if (member is null)
        {
            return "Is not a member of this request; the members are: " + string.Join(", ", parent.Properties.Select(p => p.Name)) + ".";
        }

        return "Has the wrong type: " + Expected(member.PropertyType) + ".";
    }

    private static bool HasDuplicateMember(byte[] utf8)
    {
        try
        {
            using var _ = JsonDocument.Parse(utf8, new JsonDocumentOptions { AllowDuplicateProperties = false });
            return false;
        }
        catch (JsonException)
        {
            return true;
        }
    }

    /// <summary>The object type that holds the last member of <paramref name="path"/>, and that member if the type has it.</summary>
    private static (JsonTypeInfo? Parent, JsonPropertyInfo? Member) Resolve(Type root, string path)
    {
        var type = root;
        JsonTypeInfo? parent = null;
        JsonPropertyInfo? member = null;
        foreach (var segment in Segments(path))
        {
            var info = Options.GetTypeInfo(Nullable.GetUnderlyingType(type) ?? type);
            if (segment.Index)
            {
                if (info.Kind != JsonTypeInfoKind.Enumerable || info.ElementType is null)
                {
                    return (null, null);
                }

                type = info.ElementType;
                continue;
            }

            if (info.Kind != JsonTypeInfoKind.Object)
            {
                return (null, null);
            }

            parent = info;
            member = info.Properties.FirstOrDefault(p => p.Name == segment.Name);
            if (member is null)
            {
                return (parent, null);
            }

            type = member.PropertyType;
        }

        return (parent, member);
    }

    private static IEnumerable<(string Name, bool Index)> Segments(string path)
    {
        var i = path.StartsWith('$') ? 1 : 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                yield return (path[(i + 1)..end], false);
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var end = path.IndexOf("']", i, StringComparison.Ordinal);
                end = end < 0 ? path.Length : end;
                yield return (path[(i + 2)..end], false);
                i = end + 2;
            }
            else
            {
                var end = path.IndexOf(']', i);
                yield return ("", true);
                i = end < 0 ? path.Length : end + 1;
            }
        }
    }

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(string) => "a JSON string",
            _ when type == typeof(DateOnly) => "a date as a JSON string YYYY-MM-DD",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "a date-time as a JSON string (RFC 3339)",
            _ when type == typeof(bool) => "true or false",
            _ when type.IsEnum => "one of " + string.Join(", ", StrictEnumConverterFactory.NamesOf(type)),
            _ when type.IsPrimitive || type == typeof(decimal) => "a JSON number",
            _ when Options.GetTypeInfo(type).Kind == JsonTypeInfoKind.Enumerable => "a JSON array",
            _ => "a JSON object",
        };
    }
}

/// <summary>Enums as exactly their kebab-case names: no other casing, no numbers, no comma-separated flag lists.</summary>
public sealed class StrictEnumConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(StrictEnumConverter<>).MakeGenericType(typeToConvert))!;

    public static IEnumerable<string> NamesOf(Type enumType) => Enum.GetNames(enumType).Select(JsonNamingPolicy.KebabCaseLower.ConvertName);

    private sealed class StrictEnumConverter<T> : JsonConverter<T>
        where T : struct, Enum
    {
        private static readonly Dictionary<string, T> ByName = Enum.GetValues<T>().ToDictionary(v => JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()), StringComparer.Ordinal);

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && ByName.TryGetValue(reader.GetString()!, out var value)
                ? value
                : throw new JsonException($"Expected one of: {string.Join(", ", ByName.Keys)}.");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStringValue(JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString()));
        }
    }
}
