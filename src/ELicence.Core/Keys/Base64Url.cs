using System.Buffers;

namespace ELicence.Core.Keys;

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
        data = [];
        if (text.Length % 4 == 1 || text.AsSpan().ContainsAnyExcept(Alphabet))
        {
            return false;
        }

        var decoded = new byte[System.Buffers.Text.Base64Url.GetMaxDecodedLength(text.Length)];
        if (System.Buffers.Text.Base64Url.DecodeFromChars(text, decoded, out var consumed, out var written) != OperationStatus.Done || consumed != text.Length)
        {
            return false;
        }

        var bytes = decoded.AsSpan(0, written);
        if (!Encode(bytes).AsSpan().SequenceEqual(text))
        {
            return false; // non-zero trailing bits: another text for the same bytes
        }

        data = bytes.ToArray();
        return true;
    }
}
