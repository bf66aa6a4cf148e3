using ELicence.Core.Presentations;
using QRCoder;

namespace ELicence.Documents;

/// <summary>A presentation's QR code, level L: shown on a screen, where nothing smudges and capacity counts.</summary>
public sealed class PresentationQrCode : IPresentationQrCode
{
    public byte[]? Png(string presentation)
    {
        try
        {
            return QrCodes.Png(presentation, QrCodes.PresentationPixelsPerModule, QRCodeGenerator.ECCLevel.L);
        }
        catch (QRCoder.Exceptions.DataTooLongException)
        {
            // Too many or too long disclosures: the presentation is still returned, without a picture.
            return null;
        }
    }
}
