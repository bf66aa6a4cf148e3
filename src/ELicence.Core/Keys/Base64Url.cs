namespace ELicence.Core.Keys;

/// <summary>Unpadded base64url (RFC 4648 §5), as JOSE uses it.</summary>
public static class B64Url
{
    public static string Encode(ReadOnlySpan<byte> data) => System.Buffers.Text.Base64Url.EncodeToString(data);

    public static bool TryDecode(string text, out byte[] data)
    {
        data = [];
        if (text.Contains('=', StringComparison.Ordinal))
        {
            return false; // JOSE forbids padding
        }

        try
        {
            data = System.Buffers.Text.Base64Url.DecodeFromChars(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
