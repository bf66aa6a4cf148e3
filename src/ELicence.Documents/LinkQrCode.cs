using ELicence.Core.Wallets;

namespace ELicence.Documents;

/// <summary>Offer links as the licence's own QR codes are drawn.</summary>
public sealed class LinkQrCode : ILinkQrCode
{
    public byte[] Png(string link) => QrCodes.Png(link);
}
