using ELicence.Documents;

namespace ELicence.Core.UnitTests.Documents;

/// <summary>
/// Uploaded PDFs are untrusted: nothing in one is inflated beyond what a licence PDF needs. Memory is asserted as the bytes
/// this thread allocates while reading (the reader is synchronous), never as time.
/// </summary>
public class PdfUploadBombTests
{
    private const int Bomb = 128 * 1024 * 1024;
    private const long AllocationCeiling = 8 * 1024 * 1024;

    [Fact]
    public void An_embedded_file_that_inflates_to_128_MiB_is_refused_as_oversized_after_64_KiB()
    {
        var pdf = PlainPdfs.WithEmbeddedFileInflatingTo(Bomb);

        var (read, allocated) = Measure(pdf);

        Assert.True(pdf.Length < 256 * 1024, $"the bomb PDF is {pdf.Length} bytes");
        Assert.Equal(PdfReadFailure.Oversized, read.Failure);
        Assert.True(allocated < AllocationCeiling, $"{allocated} bytes allocated");
    }

    [Fact]
    public void An_embedded_file_within_the_limit_is_still_read()
    {
        var read = PdfCredentialReader.Read(PlainPdfs.WithEmbeddedFileInflatingTo(1000));

        Assert.Null(read.Failure);
        Assert.Equal(new string('\0', 1000), read.Credential);
    }

    [Fact]
    public void A_page_content_bomb_is_not_inflated_while_the_pdf_is_searched()
    {
        var (read, allocated) = Measure(PlainPdfs.WithPageContentInflatingTo(Bomb));

        Assert.Equal(PdfReadFailure.NoCredential, read.Failure);
        Assert.True(allocated < AllocationCeiling, $"{allocated} bytes allocated");
    }

    [Fact]
    public void A_pdf_with_a_cross_reference_stream_is_refused_before_it_is_parsed()
    {
        var small = PlainPdfs.WithObjectStreamInflatingTo(0);
        using (var independent = UglyToad.PdfPig.PdfDocument.Open(small))
        {
            Assert.Equal(1, independent.NumberOfPages); // a real PDF 1.5 file, not a broken one
        }

        var (read, allocated) = Measure(PlainPdfs.WithObjectStreamInflatingTo(Bomb));

        Assert.Equal(PdfReadFailure.Unsupported, PdfCredentialReader.Read(small).Failure);
        Assert.Equal(PdfReadFailure.Unsupported, read.Failure);
        Assert.True(allocated < AllocationCeiling, $"{allocated} bytes allocated");
    }

    [Theory]
    [InlineData("%PDF-1.7\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 /Prev 9 >>\nstartxref\n9\n%%EOF\n")]     // a /Prev to itself
    [InlineData("%PDF-1.7\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 /P#72ev 400 >>\nstartxref\n9\n%%EOF\n")] // an escaped /Prev elsewhere
    public void A_cross_reference_chain_that_loops_or_leaves_the_tables_is_refused(string pdf)
    {
        Assert.Equal(PdfReadFailure.Unsupported, PdfCredentialReader.Read(Encoding.ASCII.GetBytes(pdf)).Failure);
    }

    [Fact]
    public void A_status_list_that_inflates_past_its_length_is_refused()
    {
        var bomb = "u" + ELicence.Jose.B64Url.Encode(GzipOfZeros(64 * 1024 * 1024));

        var error = Assert.Throws<FormatException>(() => BitstringStatusList.Decode(bomb));

        Assert.Contains("inflates to more", error.Message, StringComparison.Ordinal);
    }

    private static (PdfCredential Read, long Allocated) Measure(byte[] pdf)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = PdfCredentialReader.Read(pdf);
        return (read, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static byte[] GzipOfZeros(int count)
    {
        var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(new byte[count]);
        }

        return output.ToArray();
    }
}
