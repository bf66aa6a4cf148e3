using QRCoder;

namespace ELicence.Documents;

/// <summary>
/// QR codes of verification links: error correction level M (15 % of the symbol may be damaged or smudged on paper)
/// and the four-module quiet zone that scanners need around the symbol.
/// </summary>
public static class QrCodes
{
    /// <summary>Pixels per module in the PNG: about 3 cm at 300 dpi for a typical link, readable from a screen.</summary>
    public const int PngPixelsPerModule = 10;

    /// <summary>Pixels per module of a presentation's QR code: a long text makes many modules, shown on a phone screen.</summary>
    public const int PresentationPixelsPerModule = 4;

    /// <param name="level">M by default (paper); L for a presentation shown on a screen, where nothing smudges and capacity counts.</param>
    public static byte[] Png(string text, int pixelsPerModule = PngPixelsPerModule, QRCodeGenerator.ECCLevel level = QRCodeGenerator.ECCLevel.M)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, level);
        return new PngByteQRCode(data).GetGraphic(pixelsPerModule, drawQuietZones: true);
    }

    /// <summary>A bitmap (BMP, 24-bit) for PDFsharp, whose image importer does not read QRCoder's palette PNGs.</summary>
    public static byte[] Bitmap(string text, int pixelsPerModule)
    {
        using var data = Encode(text);
        return new BitmapByteQRCode(data).GetGraphic(pixelsPerModule);
    }

    public static string Svg(string text)
    {
        using var data = Encode(text);
        return new SvgQRCode(data).GetGraphic(8, "#000000", "#ffffff", drawQuietZones: true);
    }

    private static QRCodeData Encode(string text) => QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
}
