using ELicence.Core.CreditCodes;

namespace ELicence.Core.Usage;

/// <summary>One download of a licence document: which document of which version, by whom, when.</summary>
public sealed record DocumentDownload(string Document, int Version, string CallerId, string CallerRole, DateTimeOffset At);

/// <summary>
/// The append-only record of document downloads, kept in the licence's partition beside its history. A download is not a
/// change of the licence: it does not go through <c>LicenceChangeCommitter</c>, so it neither bumps the licence's ETag
/// (a holder printing its licence must not make the registrar's next If-Match fail) nor takes an event number.
/// </summary>
public interface IDocumentDownloadLog
{
    Task AppendAsync(CreditCode code, DocumentDownload download, CancellationToken cancellationToken);

    /// <summary>Every download of the licence's documents, oldest first.</summary>
    Task<IReadOnlyList<DocumentDownload>> ListAsync(CreditCode code, CancellationToken cancellationToken);
}
