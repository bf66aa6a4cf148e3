using System.IO.Compression;
using ELicence.Core.Compression;
using ELicence.Core.Keys;
using ELicence.Jose;

namespace ELicence.Core.StatusLists;

/// <summary>
/// A W3C Bitstring Status List: bit i is index i, counted from the left-most bit of the first byte; published as the
/// multibase base64url (prefix 'u', no padding) of the GZIP-compressed bitstring.
/// </summary>
public sealed class BitstringStatusList
{
    /// <summary>The spec's minimum, 16 KiB, which gives every holder group privacy.</summary>
    public const int Length = 131_072;

    /// <summary>The <c>source</c> of <see cref="Decode"/>'s measurements in <see cref="BoundedInflate.InflatedBytes"/>.</summary>
    public const string InflateSource = "status-list";

    private readonly byte[] _bits;

    public BitstringStatusList() => _bits = new byte[Length / 8];

    private BitstringStatusList(byte[] bits) => _bits = bits;

    public bool this[int index]
    {
        get => (_bits[Check(index) / 8] & (0x80 >> (index % 8))) != 0;
        set
        {
            if (value)
            {
                _bits[Check(index) / 8] |= (byte)(0x80 >> (index % 8));
            }
            else
            {
                _bits[Check(index) / 8] &= (byte)~(0x80 >> (index % 8));
            }
        }
    }

    public string Encode()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(_bits);
        }

        return "u" + B64Url.Encode(buffer.ToArray());
    }

    public static BitstringStatusList Decode(string encodedList)
    {
        ArgumentNullException.ThrowIfNull(encodedList);
        if (!encodedList.StartsWith('u') || !B64Url.TryDecode(encodedList[1..], out var compressed))
        {
            throw new FormatException("An encoded status list is multibase base64url: 'u' followed by unpadded base64url.");
        }

        // The list comes from outside (a verifier's cache, a download): inflated no further than a list of this service's length.
        var bits = BoundedInflate.Read(compressed, InflateFormat.Gzip, Length / 8, InflateSource)
            ?? throw new FormatException($"A status list of this service has {Length} entries; this one inflates to more.");
        return bits.Length == Length / 8 ? new BitstringStatusList(bits) : throw new FormatException($"A status list has at least {Length} entries.");
    }

    private static int Check(int index) => index is >= 0 and < Length ? index : throw new ArgumentOutOfRangeException(nameof(index));
}
