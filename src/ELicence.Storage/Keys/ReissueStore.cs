using ELicence.Core.KeyManagement;

namespace ELicence.Storage.Keys;

/// <summary>
/// Table <c>keyreissues</c>, one partition per withdrawn key (its kid): the job row and one row per licence found
/// (<c>licence-{code}</c>), added once while pending and merged with its outcome when done.
/// </summary>
public sealed class ReissueStore(StorageClients storage) : IReissueStore
{
    private const string JobRow = "job";
    private const string LicenceRowPrefix = "licence-";
    private const string LicenceRowEnd = "licence.";
    private readonly TableClient _table = storage.Table(StorageNames.KeyReissuesTable);

    public Task StartAsync(string kid, DateTimeOffset startedAt, string reason, CancellationToken cancellationToken) =>
        _table.TryAddAsync(new TableEntity(kid, JobRow) { ["StartedAt"] = startedAt, ["Reason"] = reason, ["Scanned"] = false }, cancellationToken);

    public async Task<ReissueJob?> FindAsync(string kid, CancellationToken cancellationToken)
    {
        if (!TableExtensions.IsKeySafe(kid))
        {
            return null;
        }

        TableEntity? job = null;
        var items = new List<ReissueItem>();
        await foreach (var e in _table.QueryAsync<TableEntity>(e => e.PartitionKey == kid, cancellationToken: cancellationToken))
        {
            if (e.RowKey == JobRow)
            {
                job = e;
            }
            else if (string.CompareOrdinal(e.RowKey, LicenceRowPrefix) >= 0 && string.CompareOrdinal(e.RowKey, LicenceRowEnd) < 0)
            {
                var outcome = e.GetString("Outcome") is { } o && Enum.TryParse<ReissueOutcome>(o, out var parsed) ? parsed : (ReissueOutcome?)null;
                items.Add(new ReissueItem(e.RowKey[LicenceRowPrefix.Length..], outcome, e.GetInt32("Version")));
            }
        }

        return job is null ? null : new ReissueJob(kid, job.GetDateTimeOffset("StartedAt") ?? default, job.GetString("Reason") ?? "", job.GetBoolean("Scanned") == true, items);
    }

    public Task AddAsync(string kid, CreditCode code, CancellationToken cancellationToken) =>
        _table.TryAddAsync(new TableEntity(kid, LicenceRowPrefix + code.Value), cancellationToken);

    public async Task CompleteAsync(string kid, CreditCode code, ReissueOutcome outcome, int version, CancellationToken cancellationToken)
    {
        var row = await _table.FindAsync<TableEntity>(kid, LicenceRowPrefix + code.Value, cancellationToken);
        if (row is null || row.GetString("Outcome") is not null)
        {
            return; // not found by the scan, or done by an earlier delivery of the same message
        }

        try
        {
            await _table.UpdateEntityAsync(new TableEntity(kid, row.RowKey) { ["Outcome"] = outcome.ToString(), ["Version"] = version }, row.ETag, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // a concurrent delivery recorded it first
        }
    }

    public Task MarkScannedAsync(string kid, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(new TableEntity(kid, JobRow) { ["Scanned"] = true }, TableUpdateMode.Merge, cancellationToken);
}

/// <summary>The <c>key-reissue</c> queue.</summary>
public sealed class ReissueQueue(StorageClients storage) : IReissueQueue
{
    public Task EnqueueAsync(ReissueMessage message, CancellationToken cancellationToken) =>
        storage.Queue(StorageNames.KeyReissueQueue).SendMessageAsync(ElicenceJson.Serialize(message), cancellationToken);
}
