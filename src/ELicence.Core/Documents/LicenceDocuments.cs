using ELicence.Core.Callers;
using ELicence.Core.Credentials;
using ELicence.Core.Licences;

namespace ELicence.Core.Documents;

/// <summary>A rendered document and what it is.</summary>
public sealed record RenderedDocument(byte[] Content, string MediaType, string FileName);

/// <summary>The documents a business hands over: the QR code of its licence and the printable PDF, for the holder and the registrar.</summary>
public sealed class LicenceDocuments(LicenceQueries queries, IDocumentDownloadLog downloads, DocumentOptions options, IssuerOptions issuer, TimeProvider time)
{
    public const string Pdf = "pdf";
    public const string QrPng = "qr-png";
    public const string QrSvg = "qr-svg";

    /// <summary>The QR code of the current version's verification link, as PNG or SVG.</summary>
    public async Task<RenderedDocument> GetQrAsync(Caller caller, string code, bool svg, CancellationToken cancellationToken)
    {
        var (licence, credential) = await queries.GetCurrentCredentialAsync(caller, code, cancellationToken);
        var link = PrintedCopy.Link(options, licence.Code, licence.Version, credential);
        var name = $"{licence.Code.Value}-v{licence.Version}-qr";
        return svg
            ? new RenderedDocument(System.Text.Encoding.UTF8.GetBytes(QrCodes.Svg(link)), "image/svg+xml", name + ".svg")
            : new RenderedDocument(QrCodes.Png(link), "image/png", name + ".png");
    }

    /// <summary>The PDF of the current version (only the current one can be had); the download is recorded.</summary>
    public async Task<RenderedDocument> GetPdfAsync(Caller caller, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var (licence, credential) = await queries.GetCurrentCredentialAsync(caller, code, cancellationToken);
        var pdf = LicencePdf.Render(
            new LicencePdfInput(licence, credential, PrintedCopy.Link(options, licence.Code, licence.Version, credential), PrintedCopy.PageUrl(options, licence.Code), issuer),
            options);
        await downloads.AppendAsync(licence.Code, new DocumentDownload(Pdf, licence.Version, caller.Id, caller.Role.ToString().ToLowerInvariant(), time.GetUtcNow()), cancellationToken);
        return new RenderedDocument(pdf, LicencePdf.MediaType, $"{licence.Code.Value}-v{licence.Version}.pdf");
    }

    /// <summary>The recorded downloads of the licence's documents, for its holder and the registrar.</summary>
    public async Task<IReadOnlyList<DocumentDownload>> GetDownloadsAsync(Caller caller, string code, CancellationToken cancellationToken)
    {
        var licence = await queries.GetLicenceAsync(caller, code, cancellationToken);
        return await downloads.ListAsync(licence.Code, cancellationToken);
    }
}
