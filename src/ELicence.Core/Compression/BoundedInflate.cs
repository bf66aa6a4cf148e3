using System.Diagnostics.Metrics;
using System.IO.Compression;
using ELicence.Core.Operations;

namespace ELicence.Core.Compression;

/// <summary>The compressed forms <see cref="BoundedInflate"/> reads.</summary>
public enum InflateFormat
{
    /// <summary>RFC 1952 (status lists, gzip files).</summary>
    Gzip,

    /// <summary>RFC 1950 (a zlib header, deflate data, an Adler-32).</summary>
    Zlib,

    /// <summary>RFC 1951, bare deflate data.</summary>
    Deflate,
}

/// <summary>
/// Inflates data that came from outside with a bound: it never takes more than <c>limit + 1</c> bytes out of the
/// decompressor, so a small input that expands enormously (a decompression bomb) costs at most that much memory and work,
/// and the caller learns that it was over the limit instead of holding all of it.
/// </summary>
public static class BoundedInflate
{
    private const int ChunkBytes = 16 * 1024;

    /// <summary>Bytes taken out of a decompressor per use, by <c>source</c> and <c>outcome</c> (complete, over-limit).</summary>
    public static readonly Histogram<long> InflatedBytes = ElicenceTelemetry.Meter.CreateHistogram<long>(
        "elicence.inflate.bytes", "By", "Bytes inflated from compressed input that came from outside, per use.");

    /// <summary>The inflated bytes, or null when there are more than <paramref name="limit"/>. Corrupt data throws <see cref="InvalidDataException"/>.</summary>
    public static byte[]? Read(ReadOnlyMemory<byte> compressed, InflateFormat format, int limit, string source)
    {
        using var decompressor = Open(compressed, format);
        return Read(decompressor, limit, source);
    }

    /// <summary>As <see cref="Read(ReadOnlyMemory{byte}, InflateFormat, int, string)"/>, from a decompressing stream: at most <paramref name="limit"/> + 1 bytes are read from it.</summary>
    public static byte[]? Read(Stream decompressed, int limit, string source)
    {
        ArgumentNullException.ThrowIfNull(decompressed);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var output = new byte[limit + 1];
        var filled = 0;
        int read;
        while (filled < output.Length && (read = decompressed.Read(output, filled, output.Length - filled)) > 0)
        {
            filled += read;
        }

        Record(filled, limit, source);
        return filled > limit ? null : output[..filled];
    }

    /// <summary>How many bytes the data inflates to, counted without keeping them, and at most <paramref name="limit"/> + 1.</summary>
    public static long Count(ReadOnlyMemory<byte> compressed, InflateFormat format, long limit, string source)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        using var decompressor = Open(compressed, format);
        var chunk = new byte[ChunkBytes];
        long total = 0;
        int read;
        while (total <= limit && (read = decompressor.Read(chunk, 0, (int)Math.Min(chunk.Length, limit + 1 - total))) > 0)
        {
            total += read;
        }

        Record(total, limit, source);
        return total;
    }

    private static Stream Open(ReadOnlyMemory<byte> compressed, InflateFormat format)
    {
        var input = new MemoryStream(compressed.ToArray(), writable: false);
        return format switch
        {
            InflateFormat.Gzip => new GZipStream(input, CompressionMode.Decompress),
            InflateFormat.Zlib => new ZLibStream(input, CompressionMode.Decompress),
            InflateFormat.Deflate => new DeflateStream(input, CompressionMode.Decompress),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
    }

    private static void Record(long inflated, long limit, string source) =>
        InflatedBytes.Record(inflated, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("outcome", inflated > limit ? "over-limit" : "complete"));
}
