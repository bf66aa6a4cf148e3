using System.Globalization;
using System.Text;
using ELicence.Core.Credentials;
using ELicence.Core.Licences;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace ELicence.Documents;

/// <summary>What the PDF prints besides the licence: its credential and where to verify it.</summary>
public sealed record LicencePdfInput(Licence Licence, string Credential, string VerificationLink, string PageUrl, IssuerOptions Issuer);

/// <summary>
/// The licence as a printable A4 PDF, laid out like the paper business licence (营业执照): the Chinese licence on page 1,
/// the English rendering on page 2, each with the QR code of the verification link, the page's URL and the credential's
/// SHA-256. The issued credential is embedded byte for byte as <see cref="CredentialFileName"/>, so a machine can
/// verify the PDF it received. Text is drawn with the embedded, subset Noto Sans SC, so it is extractable.
/// </summary>
public static class LicencePdf
{
    public const string CredentialFileName = "licence.vc.jwt";
    public const string MediaType = "application/pdf";

    private const double Margin = 56;
    private static readonly XPdfFontOptions Unicode = new(PdfFontEncoding.Unicode);

    public static byte[] Render(LicencePdfInput input, DocumentOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        LicenceFont.EnsureInstalled(options);
        using var document = new PdfDocument();
        var licence = input.Licence;
        document.Info.Title = $"营业执照 Business Licence {licence.Code.Value}";
        document.Info.Author = input.Issuer.Name;
        document.Info.Subject = $"{licence.Details.Name} — version {licence.Version.ToString(CultureInfo.InvariantCulture)}";
        // Fixed dates keep the same licence version rendering to the same bytes, apart from PDFsharp's document id.
        var issued = new DateTime(licence.IssuedOn, TimeOnly.MinValue, DateTimeKind.Utc);
        document.Info.CreationDate = issued;
        document.Info.ModificationDate = issued;

        var qr = QrCodes.Bitmap(input.VerificationLink, 4);
        DrawPage(document, input, DocumentLanguage.Chinese, qr);
        DrawPage(document, input, DocumentLanguage.English, qr);

        using (var credential = new MemoryStream(Encoding.ASCII.GetBytes(input.Credential)))
        {
            document.AddEmbeddedFile(CredentialFileName, credential);
        }

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    private static void DrawPage(PdfDocument document, LicencePdfInput input, DocumentLanguage language, byte[] qr)
    {
        var page = document.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        using var gfx = XGraphics.FromPdfPage(page);
        var chinese = language == DocumentLanguage.Chinese;
        var width = page.Width.Point;
        var title = new XFont(LicenceFont.Family, chinese ? 34 : 28, XFontStyleEx.Bold, Unicode);
        var label = new XFont(LicenceFont.Family, 10.5, XFontStyleEx.Bold, Unicode);
        var body = new XFont(LicenceFont.Family, 10.5, XFontStyleEx.Regular, Unicode);
        var small = new XFont(LicenceFont.Family, 8, XFontStyleEx.Regular, Unicode);
        var red = new XPen(XColor.FromArgb(0xB0, 0x1E, 0x23), 2);

        gfx.DrawRectangle(red, Margin - 16, Margin - 16, width - 2 * (Margin - 16), page.Height.Point - 2 * (Margin - 16));
        gfx.DrawString(LicenceSheet.Title(language), title, XBrushes.Black, new XRect(0, Margin + 10, width, 40), XStringFormats.TopCenter);
        gfx.DrawString(chinese ? "（电子营业执照 · 打印件）" : "(electronic business licence, printed copy)", body, XBrushes.Black,
            new XRect(0, Margin + 54, width, 16), XStringFormats.TopCenter);

        var y = Margin + 96;
        var labelWidth = chinese ? 110 : 150;
        var valueX = Margin + labelWidth;
        var valueWidth = width - Margin - valueX;
        foreach (var field in LicenceSheet.Fields(input.Licence, language))
        {
            gfx.DrawString(field.Label, label, XBrushes.Black, new XRect(Margin, y, labelWidth, 14), XStringFormats.TopLeft);
            foreach (var line in Wrap(gfx, field.Value, body, valueWidth))
            {
                gfx.DrawString(line, body, XBrushes.Black, new XRect(valueX, y, valueWidth, 14), XStringFormats.TopLeft);
                y += 15;
            }

            y += 7;
        }

        var qrSize = 120.0;
        var qrTop = Math.Max(y + 10, page.Height.Point - Margin - qrSize - 78);
        using (var image = XImage.FromStream(new MemoryStream(qr)))
        {
            gfx.DrawImage(image, width - Margin - qrSize, qrTop, qrSize, qrSize);
        }

        var howTo = chinese
            ? $"核验方法：用手机扫描右侧二维码，或在浏览器中打开 {input.PageUrl}，可查看本执照的当前状态；也可在该页面上传本 PDF 核验其真伪。"
            : $"How to verify: scan the QR code or open {input.PageUrl} in a browser to see this licence's current status; you can also upload this PDF there to check that it is genuine.";
        var textY = qrTop;
        foreach (var line in Wrap(gfx, howTo, body, width - 2 * Margin - qrSize - 16))
        {
            gfx.DrawString(line, body, XBrushes.Black, new XRect(Margin, textY, width, 14), XStringFormats.TopLeft);
            textY += 15;
        }

        textY += 8;
        gfx.DrawString(chinese ? "电子凭证 SHA-256：" : "Credential SHA-256:", small, XBrushes.Black, new XRect(Margin, textY, width, 10), XStringFormats.TopLeft);
        gfx.DrawString(PrintedCopy.Sha256Hex(input.Credential), small, XBrushes.Black, new XRect(Margin, textY + 11, width, 10), XStringFormats.TopLeft);
        gfx.DrawString(chinese ? $"电子凭证已嵌入本文件（{CredentialFileName}）。" : $"The signed credential is embedded in this file ({CredentialFileName}).", small, XBrushes.Black,
            new XRect(Margin, textY + 24, width, 10), XStringFormats.TopLeft);

        var authority = chinese ? input.Licence.Details.RegistrationAuthority : input.Licence.Details.English?.RegistrationAuthority ?? input.Issuer.NameEn;
        gfx.DrawString($"{authority}  {LicenceSheet.Date(input.Licence.IssuedOn, language)}", body, XBrushes.Black,
            new XRect(Margin, page.Height.Point - Margin - 20, width - 2 * Margin, 14), XStringFormats.TopRight);
    }

    /// <summary>
    /// Breaks text into lines that fit: at spaces where there are any (English), else between characters (Chinese has no
    /// spaces); a surrogate pair is never split.
    /// </summary>
    private static List<string> Wrap(XGraphics gfx, string text, XFont font, double width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        var lastBreak = -1;
        while (enumerator.MoveNext())
        {
            var element = enumerator.GetTextElement();
            line.Append(element);
            if (element == " ")
            {
                lastBreak = line.Length;
            }

            if (gfx.MeasureString(line.ToString(), font).Width > width && line.Length > element.Length)
            {
                var cut = lastBreak > 0 ? lastBreak : line.Length - element.Length;
                lines.Add(line.ToString(0, cut).TrimEnd());
                var rest = line.ToString(cut, line.Length - cut);
                line.Clear().Append(rest.TrimStart());
                lastBreak = -1;
            }
        }

        if (line.Length > 0)
        {
            lines.Add(line.ToString());
        }

        return lines.Count == 0 ? [""] : lines;
    }
}
