using System.Buffers;

namespace ELicence.Core.Serialization;

/// <summary>Resource ids: a short prefix and a UUIDv7 in lower-case hex, so they sort by creation time.</summary>
public static class ResourceIds
{
    private static readonly SearchValues<char> Hex = SearchValues.Create("0123456789abcdef");

    public static string New(string prefix)
    {
        Span<char> hex = stackalloc char[32];
        Guid.CreateVersion7().TryFormat(hex, out _, "N");
        return string.Concat(prefix, hex);
    }

    public static bool IsWellFormed(string? id, string prefix) =>
        id is not null && id.Length == prefix.Length + 32 && id.StartsWith(prefix, StringComparison.Ordinal) && !id.AsSpan(prefix.Length).ContainsAnyExcept(Hex);
}
