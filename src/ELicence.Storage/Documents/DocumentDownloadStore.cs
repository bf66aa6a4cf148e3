using Azure.Data.Tables;
using ELicence.Core.Documents;
using ELicence.Core.Serialization;

namespace ELicence.Storage.Documents;

/// <summary>
/// Document downloads as rows "download-{ticks}-{id}" in the licence's partition of the licences table: beside its history,
/// ordered by time, added (never updated) outside the licence's change transaction, so the licence row and its ETag are
/// untouched. No other query of the partition reads this range.
/// </summary>
public sealed class DocumentDownloadStore(StorageClients storage) : IDocumentDownloadLog
{
    private const string RowPrefix = "download-";
    private const string RowEnd = "download.";
    private readonly TableClient _table = storage.Table(StorageNames.LicencesTable);

    public async Task AppendAsync(CreditCode code, DocumentDownload download, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(download);
        var row = RowPrefix + download.At.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N");
        await _table.AddEntityAsync(new TableEntity(code.Value, row) { ["Download"] = ElicenceJson.Serialize(download) }, cancellationToken);
    }

    public async Task<IReadOnlyList<DocumentDownload>> ListAsync(CreditCode code, CancellationToken cancellationToken)
    {
        var partition = code.Value;
        var downloads = new List<DocumentDownload>();
        await foreach (var e in _table.QueryAsync<TableEntity>(
            x => x.PartitionKey == partition && x.RowKey.CompareTo(RowPrefix) >= 0 && x.RowKey.CompareTo(RowEnd) < 0, cancellationToken: cancellationToken))
        {
            downloads.Add(ElicenceJson.Deserialize<DocumentDownload>(e.GetString("Download")) ?? throw new InvalidDataException($"Download {e.RowKey} of {partition} is empty."));
        }

        return downloads;
    }
}
