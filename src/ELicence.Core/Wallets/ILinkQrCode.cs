namespace ELicence.Core.Wallets;

/// <summary>Draws a link (a credential offer) as a QR code a phone camera reads; the drawing library lives outside Core (ELicence.Documents).</summary>
public interface ILinkQrCode
{
    byte[] Png(string link);
}
