using System.IO.Compression;
using ELicence.Core.Compression;

namespace ELicence.Core.UnitTests.Compression;

public class BoundedInflateTests
{
    private const int Limit = 64 * 1024;

    [Theory]
    [InlineData(InflateFormat.Gzip)]
    [InlineData(InflateFormat.Zlib)]
    [InlineData(InflateFormat.Deflate)]
    public void Data_within_the_limit_comes_back_whole(InflateFormat format)
    {
        var data = Enumerable.Range(0, Limit).Select(i => (byte)(i * 7)).ToArray();

        Assert.Equal(data, BoundedInflate.Read(Compress(data, format), format, Limit, "test"));
    }

    [Fact]
    public void A_bomb_is_refused_after_limit_plus_one_bytes_are_taken_from_the_decompressor()
    {
        var bomb = Compress(new byte[128 * 1024 * 1024], InflateFormat.Zlib);
        using var counted = new CountingStream(new ZLibStream(new MemoryStream(bomb), CompressionMode.Decompress));

        var result = BoundedInflate.Read(counted, Limit, "test");

        Assert.Null(result);
        Assert.True(bomb.Length < 256 * 1024, $"the bomb is {bomb.Length} bytes");
        Assert.Equal(Limit + 1, counted.BytesRead);
    }

    [Fact]
    public void Counting_stops_one_byte_past_the_limit()
    {
        var bomb = Compress(new byte[16 * 1024 * 1024], InflateFormat.Deflate);

        Assert.Equal(Limit + 1, BoundedInflate.Count(bomb, InflateFormat.Deflate, Limit, "test"));
        Assert.Equal(1000, BoundedInflate.Count(Compress(new byte[1000], InflateFormat.Deflate), InflateFormat.Deflate, Limit, "test"));
    }

    [Fact]
    public void Corrupt_data_is_an_invalid_data_exception()
    {
        Assert.Throws<InvalidDataException>(() => BoundedInflate.Read(new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff }, InflateFormat.Gzip, Limit, "test"));
    }

    private static byte[] Compress(byte[] data, InflateFormat format)
    {
        var output = new MemoryStream();
        using (Stream compressor = format switch
        {
            InflateFormat.Gzip => new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true),
            InflateFormat.Zlib => new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true),
            _ => new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true),
        })
        {
            compressor.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>Counts what a reader takes out of the decompressor.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
