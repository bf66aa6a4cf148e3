using StbImageSharp;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace ELicence.IntegrationTests.Documents;

/// <summary>Reads QR codes the way a phone would: decodes the image's pixels (StbImageSharp, managed) and scans them with ZXing.</summary>
internal static class Scans
{
    public sealed record Scan(string Text, string ErrorCorrectionLevel);

    public static Scan Png(byte[] png)
    {
        var image = ImageResult.FromMemory(png, ColorComponents.RedGreenBlue);
        return Pixels(image.Data, image.Width, image.Height);
    }

    public static Scan Pixels(byte[] rgb, int width, int height)
    {
        var source = new RGBLuminanceSource(rgb, width, height, RGBLuminanceSource.BitmapFormat.RGB24);
        var hints = new Dictionary<DecodeHintType, object> { [DecodeHintType.TRY_HARDER] = true };
        var result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), hints)
            ?? throw new Xunit.Sdk.XunitException("No QR code found in the image.");
        return new Scan(result.Text, result.ResultMetadata[ResultMetadataType.ERROR_CORRECTION_LEVEL].ToString()!);
    }
}
