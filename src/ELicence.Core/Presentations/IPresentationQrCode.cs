namespace ELicence.Core.Presentations;

/// <summary>Draws a presentation as a QR code; the drawing library lives outside Core (ELicence.Documents).</summary>
public interface IPresentationQrCode
{
    /// <summary>The PNG, or null when the presentation is longer than a QR code holds.</summary>
    byte[]? Png(string presentation);
}
