namespace ELicence.Core.UnitTests.Documents;

/// <summary>PDFs that are not licence PDFs, made by another library (PdfPig's builder); shared with the integration tests.</summary>
internal static class PlainPdfs
{
    /// <summary>A valid one-page PDF with no attachments.</summary>
    public static byte[] WithoutCredential()
    {
        var builder = new UglyToad.PdfPig.Writer.PdfDocumentBuilder();
        var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
        var font = builder.AddStandard14Font(UglyToad.PdfPig.Fonts.Standard14Fonts.Standard14Font.Helvetica);
        page.AddText("Not a licence", 12, new UglyToad.PdfPig.Core.PdfPoint(50, 700), font);
        return builder.Build();
    }
}
