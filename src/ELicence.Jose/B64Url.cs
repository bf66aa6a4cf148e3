using System.Buffers;

namespace ELicence.Jose;

/// <summary>Unpadded base64url (RFC 4648 §5), as JOSE uses it.</summary>
public static class B64Url
{
    private static readonly SearchValues<char> Alphabet = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static string Encode(ReadOnlySpan<byte> data) => System.Buffers.Text.Base64Url.EncodeToString(data);

    /// <summary>
    /// Decodes canonical unpadded base64url only: the 64 characters of the URL-safe alphabet, no padding, no white space,
    /// and unused trailing bits zero. So one byte string has exactly one text, and a token cannot be changed without
    /// changing what it decodes to (RFC 7515 §2, RFC 4648 §3.5).
    /// </summary>
    public static bool TryDecode(string text, out byte[] data)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryDecode(text.AsSpan(), out data);
    }

    /// <inheritdoc cref="TryDecode(string, out byte[])"/>
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] data)
    {
        data = [];
        if (text.Length % 4 == 1 || text.ContainsAnyExcept(Alphabet) || !UnusedBitsAreZero(text))
        {
            return false;
        }

        var decoded = new byte[text.Length / 4 * 3 + Math.Max(0, text.Length % 4 - 1)];
        if (System.Buffers.Text.Base64Url.DecodeFromChars(text, decoded, out var consumed, out var written) != OperationStatus.Done
            || consumed != text.Length || written != decoded.Length)
        {
            return false;
        }

        data = decoded;
        return true;
    }

    /// <summary>
    /// The last character of a text of 4n+2 (4n+3) characters carries 4 (2) bits that encode nothing; canonical text has
    /// them zero (RFC 4648 §3.5), so no other text decodes to the same bytes. .NET's decoder refuses them too today; this
    /// says so here rather than relying on it (CompactJwsTests checks every short text against re-encoding).
    /// </summary>
    private static bool UnusedBitsAreZero(ReadOnlySpan<char> text)
    {
        var unused = (text.Length % 4) switch
        {
            2 => 0b1111,
            3 => 0b11,
            _ => 0,
        };
        return unused == 0 || (ValueOf(text[^1]) & unused) == 0;
    }

    private static int ValueOf(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' => 62,
        _ => 63,
    };
}
