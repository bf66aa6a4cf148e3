using ELicence.Core.Callers;
using ELicence.Core.Credentials;
using ELicence.Core.Licences;
using ELicence.Core.Usage;

namespace ELicence.Documents;

/// <summary>A rendered document and what it is.</summary>
public sealed record RenderedDocument(byte[] Content, string MediaType, string FileName);

/// <summary>
/// The documents a business hands over: the signed credential, the QR code of its licence and the printable PDF, for the
/// registrar and holder keys with the <see cref="HolderScope.Download"/> scope. Each download is recorded in the licence's usage.
/// </summary>
public sealed class LicenceDocuments(LicenceQueries queries, IDocumentDownloadLog downloads, IUsageLog usage, PublicPageOptions page, DocumentOptions options, IssuerOptions issuer, TimeProvider time)
{
    public const string Credential = "credential";
    public const string Pdf = "pdf";
    public const string QrPng = "qr-png";
    public const string QrSvg = "qr-svg";

    /// <summary>The QR code of the current version's verification link, as PNG or SVG.</summary>
    public async Task<RenderedDocument> GetQrAsync(Caller caller, string code, bool svg, CancellationToken cancellationToken)
    {
        var (licence, credential) = await DownloadAsync(caller, code, svg ? QrSvg : QrPng, cancellationToken);
        var link = PrintedCopy.Link(page, licence.Code, licence.Version, credential);
        var name = $"{licence.Code.Value}-v{licence.Version}-qr";
        return svg
            ? new RenderedDocument(System.Text.Encoding.UTF8.GetBytes(QrCodes.Svg(link)), "image/svg+xml", name + ".svg")
            : new RenderedDocument(QrCodes.Png(link), "image/png", name + ".png");
    }

    /// <summary>The PDF of the current version (only the current one can be had); the download is recorded.</summary>
    public async Task<RenderedDocument> GetPdfAsync(Caller caller, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var (licence, credential) = await DownloadAsync(caller, code, Pdf, cancellationToken);
        var pdf = LicencePdf.Render(
            new LicencePdfInput(licence, credential, PrintedCopy.Link(page, licence.Code, licence.Version, credential), PrintedCopy.PageUrl(page, licence.Code), issuer),
            options);
        await downloads.AppendAsync(licence.Code, new DocumentDownload(Pdf, licence.Version, caller.Id, caller.Role.ToString().ToLowerInvariant(), time.GetUtcNow()), cancellationToken);
        return new RenderedDocument(pdf, LicencePdf.MediaType, $"{licence.Code.Value}-v{licence.Version}.pdf");
    }

    /// <summary>The signed credential of the current version, as downloaded.</summary>
    public async Task<string> GetCredentialAsync(Caller caller, string code, CancellationToken cancellationToken) =>
        (await DownloadAsync(caller, code, Credential, cancellationToken)).Credential;

    /// <summary>The credential's JWS JSON serialization, the SM2 signature beside the EdDSA one: a download like the compact form.</summary>
    public async Task<string> GetCredentialJsonAsync(Caller caller, string code, CancellationToken cancellationToken) =>
        await queries.WithSm2SignatureAsync((await DownloadAsync(caller, code, Credential, cancellationToken)).Credential, cancellationToken);

    /// <summary>The current version and its credential, for a caller who may download them; the use is recorded first, naming the person.</summary>
    private async Task<(Licence Licence, string Credential)> DownloadAsync(Caller caller, string code, string document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        // The scope is the key's, whichever licence is asked for (another one is refused next): checked before anything is
        // read or, for a credential lost in a crash, signed again.
        if (caller is { Role: Role.Holder, HolderOf: { } own })
        {
            caller.EnsureHolderMay(own, HolderScope.Download);
        }

        var (licence, credential) = await queries.GetCurrentCredentialAsync(caller, code, cancellationToken);

        var record = UsageRecord.By(caller, "dl_" + Guid.NewGuid().ToString("N"), UsageKind.Download, time.GetUtcNow()) with { Document = document };
        await usage.AppendAsync(licence.Code, record, cancellationToken);
        return (licence, credential);
    }

    /// <summary>The recorded downloads of the licence's documents: its usage, for the registrar and holder keys that may view usage.</summary>
    public async Task<IReadOnlyList<DocumentDownload>> GetDownloadsAsync(Caller caller, string code, CancellationToken cancellationToken)
    {
        var licence = await queries.GetLicenceAsync(caller, code, cancellationToken);
        caller.EnsureMayViewUsage(licence.Code);
        return await downloads.ListAsync(licence.Code, cancellationToken);
    }
}
