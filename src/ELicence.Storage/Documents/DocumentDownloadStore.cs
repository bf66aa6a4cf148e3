using ELicence.Core.Usage;
using ELicence.Storage.Licences;

namespace ELicence.Storage.Documents;

/// <summary>Document downloads as rows "download-{ticks}-{id}" in the licence's partition of the licences table (see <see cref="LicenceSideRows{T}"/>).</summary>
public sealed class DocumentDownloadStore(StorageClients storage) : IDocumentDownloadLog
{
    private readonly LicenceSideRows<DocumentDownload> _rows = new(storage, "download", "Download");

    public Task AppendAsync(CreditCode code, DocumentDownload download, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(download);
        return _rows.AppendAsync(code, download.At, Guid.NewGuid().ToString("N"), download, cancellationToken);
    }

    public Task<IReadOnlyList<DocumentDownload>> ListAsync(CreditCode code, CancellationToken cancellationToken) => _rows.ListAsync(code, cancellationToken);
}
