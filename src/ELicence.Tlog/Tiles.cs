using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace ELicence.Tlog;

/// <summary>Resource names of the C2SP tlog-tiles layout (c2sp.org/tlog-tiles): tile/&lt;L&gt;/&lt;N&gt;[.p/&lt;W&gt;], tile/entries/&lt;N&gt;[.p/&lt;W&gt;].</summary>
public static class TilePath
{
    public const int Width = 256;
    public const int Height = 8;

    public static string Tile(int level, long index, int width = Width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 63);
        return string.Create(CultureInfo.InvariantCulture, $"tile/{level}/{Index(index, width)}");
    }

    public static string EntryBundle(long index, int width = Width) => $"tile/entries/{Index(index, width)}";

    /// <summary>Width of tile <paramref name="index"/> at <paramref name="level"/> in a tree of <paramref name="treeSize"/> leaves (0 when it does not exist yet).</summary>
    public static int WidthAt(int level, long index, long treeSize)
    {
        // A shift of 64 or more would wrap in C#: no tree has entries that high.
        var entries = Height * level >= 63 ? 0 : treeSize >> (Height * level);
        return (int)Math.Clamp(entries - (index * Width), 0, Width);
    }

    // 1234067 → x001/x234/067; all elements but the last start with 'x'.
    private static string Index(long index, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, Width);
        var elements = new List<string>();
        do
        {
            elements.Add((index % 1000).ToString("000", CultureInfo.InvariantCulture));
            index /= 1000;
        }
        while (index > 0);

        elements.Reverse();
        var path = new StringBuilder();
        for (var i = 0; i < elements.Count - 1; i++)
        {
            path.Append('x').Append(elements[i]).Append('/');
        }

        path.Append(elements[^1]);
        if (width < Width)
        {
            path.Append(CultureInfo.InvariantCulture, $".p/{width}");
        }

        return path.ToString();
    }
}

/// <summary>An entry bundle: big-endian uint16 length-prefixed entries.</summary>
public static class EntryBundle
{
    public const int MaxEntryLength = ushort.MaxValue;

    public static byte[] Encode(IEnumerable<byte[]> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        using var buffer = new MemoryStream();
        Span<byte> prefix = stackalloc byte[2];
        foreach (var entry in entries)
        {
            if (entry.Length > MaxEntryLength)
            {
                throw new ArgumentException("A log entry is at most 65,535 bytes.", nameof(entries));
            }

            BinaryPrimitives.WriteUInt16BigEndian(prefix, (ushort)entry.Length);
            buffer.Write(prefix);
            buffer.Write(entry);
        }

        return buffer.ToArray();
    }

    /// <summary>The entries of a bundle; false when a length runs past the end.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bundle, out List<byte[]> entries)
    {
        entries = [];
        while (!bundle.IsEmpty)
        {
            if (bundle.Length < 2)
            {
                return false;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(bundle);
            if (bundle.Length < 2 + length)
            {
                return false;
            }

            entries.Add(bundle.Slice(2, length).ToArray());
            bundle = bundle[(2 + length)..];
        }

        return true;
    }
}

/// <summary>Hashes in a tile: 32-byte concatenation.</summary>
internal static class TileHashList
{
    public static List<byte[]> Split(byte[] tile) => tile.Chunk(MerkleHash.Size).ToList();

    public static byte[] Join(IEnumerable<byte[]> hashes) => hashes.SelectMany(h => h).ToArray();
}
