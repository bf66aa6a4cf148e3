using ELicence.Documents;
using UglyToad.PdfPig;

namespace ELicence.Core.UnitTests.Documents;

public class LicencePdfTests
{
    private static readonly DocumentOptions Options = new();
    private static readonly PublicPageOptions Page = new();

    private static byte[] Render(string credential = "eyJhbGciOiJFZERTQSJ9.eyJ4IjoxfQ.c2ln")
    {
        var licence = Builders.Licence();
        return LicencePdf.Render(new LicencePdfInput(licence, credential, PrintedCopy.Link(Page, licence.Code, licence.Version, credential), PrintedCopy.PageUrl(Page, licence.Code), new IssuerOptions()), Options);
    }

    [Fact]
    public void The_pdf_is_two_A4_pages_under_500_KB_with_the_credential_embedded_byte_for_byte()
    {
        var pdf = Render();

        Assert.True(pdf.Length < 500 * 1024, $"{pdf.Length} bytes");
        using var document = PdfDocument.Open(pdf);
        Assert.Equal(2, document.NumberOfPages);
        Assert.All(document.GetPages(), p => Assert.Equal(UglyToad.PdfPig.Content.PageSize.A4, p.Size));
        Assert.True(document.Advanced.TryGetEmbeddedFiles(out var files));
        Assert.Equal("eyJhbGciOiJFZERTQSJ9.eyJ4IjoxfQ.c2ln"u8.ToArray(), Assert.Single(files!).Bytes.ToArray());
    }

    [Fact]
    public void The_embedded_credential_is_what_the_upload_check_reads_back()
    {
        var read = PdfCredentialReader.Read(Render("eyJhbGciOiJFZERTQSJ9.eyJ4IjoxfQ.c2ln"));

        Assert.Null(read.Failure);
        Assert.Equal("eyJhbGciOiJFZERTQSJ9.eyJ4IjoxfQ.c2ln", read.Credential);
    }

    [Fact]
    public void A_file_that_is_not_a_pdf_or_a_pdf_without_the_credential_gives_no_credential()
    {
        var notPdf = PdfCredentialReader.Read(Encoding.ASCII.GetBytes("GIF89a not a pdf at all"));
        var broken = PdfCredentialReader.Read(Encoding.ASCII.GetBytes("%PDF-1.7\n garbage garbage"));
        var plain = PdfCredentialReader.Read(PlainPdfs.WithoutCredential());

        Assert.Equal(PdfReadFailure.NotAPdf, notPdf.Failure);
        Assert.Equal(PdfReadFailure.Unreadable, broken.Failure);
        Assert.Equal(PdfReadFailure.NoCredential, plain.Failure);
    }
}
