using System.IO.Compression;

namespace ELicence.Jose;

/// <summary>The statuses of draft-ietf-oauth-status-list §7.1 that this service sets.</summary>
public enum TokenStatus : byte
{
    Valid = 0,
    Invalid = 1,
    Suspended = 2,
}

/// <summary>
/// An IETF Token Status List (draft-ietf-oauth-status-list §4) of 2 bits per entry: entry i is in byte i / 4, at bits
/// 2·(i mod 4) and up, counted from the least significant bit; published as base64url of the ZLIB (RFC 1950) DEFLATE of
/// the bytes. Generic: nothing in it is particular to licences.
/// </summary>
public sealed class TokenStatusList
{
    public const int Bits = 2;

    private readonly byte[] _bytes;

    public TokenStatusList(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        Length = length;
        _bytes = new byte[(length * Bits + 7) / 8];
    }

    private TokenStatusList(byte[] bytes)
    {
        _bytes = bytes;
        Length = bytes.Length * 8 / Bits;
    }

    public int Length { get; }

    public TokenStatus this[int index]
    {
        get => (TokenStatus)((_bytes[Check(index) / 4] >> (index % 4 * Bits)) & 0b11);
        set
        {
            var shift = Check(index) % 4 * Bits;
            _bytes[index / 4] = (byte)((_bytes[index / 4] & ~(0b11 << shift)) | (((byte)value & 0b11) << shift));
        }
    }

    /// <summary>The <c>lst</c> member: base64url of the ZLIB-compressed bytes, at the smallest size.</summary>
    public string Encode()
    {
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(_bytes);
        }

        return B64Url.Encode(buffer.ToArray());
    }

    /// <summary>Reads an <c>lst</c>, inflating at most <paramref name="maxBytes"/> (the list is from outside: a bomb stops at the bound).</summary>
    public static TokenStatusList Decode(string lst, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(lst);
        if (!B64Url.TryDecode(lst, out var compressed))
        {
            throw new FormatException("A status list's lst is base64url.");
        }

        using var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
        var bytes = new byte[maxBytes + 1];
        var read = 0;
        int n;
        while (read < bytes.Length && (n = zlib.Read(bytes, read, bytes.Length - read)) > 0)
        {
            read += n;
        }

        return read <= maxBytes ? new TokenStatusList(bytes[..read]) : throw new FormatException($"A status list inflates to more than {maxBytes} bytes.");
    }

    private int Check(int index) => index >= 0 && index < Length ? index : throw new ArgumentOutOfRangeException(nameof(index));
}
