using ELicence.Core.Usage;

namespace ELicence.Storage.Usage;

/// <summary>
/// Table <c>licenceusage</c>: the licence's credit code as partition, row key <c>{inverted ticks}-{record id}</c> so the
/// newest use comes first and a date range is a row-key range (no scan beyond the licence's partition). A record is
/// written with an upsert under its deterministic key: writing it twice (a retried request, a relay run again) leaves one row.
/// Verification rows are written by <see cref="Receipts.ReceiptRelay"/> from the receipt journal, seconds after the check.
/// </summary>
public sealed class UsageStore(StorageClients storage) : IUsageLog
{
    private readonly TableClient _table = storage.Table(StorageNames.LicenceUsageTable);

    public async Task AppendAsync(CreditCode code, UsageRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await _table.UpsertEntityAsync(Entity(code, record), TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>
    /// The row of a use, under its deterministic key. A verification's row also carries what the former by-licence receipt
    /// index held (receipt id, verifier, outcome, purpose; the item of a batch), so the licence's checks are one partition.
    /// </summary>
    public static TableEntity Entity(CreditCode code, UsageRecord record, int? batchItem = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        var entity = new TableEntity(code.Value, RowKey(record.At, record.Id)) { ["Usage"] = ElicenceJson.Serialize(record), ["At"] = record.At };
        if (record.Kind == UsageKind.Verification && record.ReceiptId is { } receiptId)
        {
            entity["ReceiptId"] = receiptId;
            entity["VerifierId"] = record.ActorId;
            entity["Valid"] = record.Outcome == "valid";
            entity["Purpose"] = record.Purpose;
            entity["Item"] = batchItem;
        }

        return entity;
    }

    public async Task<UsagePage> ReadAsync(CreditCode code, UsageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var partition = code.Value;
        // Newest first: an earlier "to" is a larger inverted tick; "from" bounds the other end.
        var lower = query.Continuation is { } after ? after + "~" : "";
        if (query.To is { } to && string.CompareOrdinal(Inverted(to), lower) > 0)
        {
            lower = Inverted(to);
        }

        var upper = query.From is { } from ? Inverted(from) + "~" : "~";
        var items = new List<UsageRecord>();
        string? lastKey = null;
        await foreach (var e in _table.QueryAsync<TableEntity>(
            x => x.PartitionKey == partition && x.RowKey.CompareTo(lower) >= 0 && x.RowKey.CompareTo(upper) < 0, maxPerPage: query.Limit + 1, cancellationToken: cancellationToken))
        {
            if (items.Count == query.Limit)
            {
                return new UsagePage(items, lastKey);
            }

            items.Add(ElicenceJson.Deserialize<UsageRecord>(e.GetString("Usage")) ?? throw new InvalidDataException($"Usage {e.RowKey} of {partition} is empty."));
            lastKey = e.RowKey;
        }

        return new UsagePage(items, null);
    }

    private static string RowKey(DateTimeOffset at, string id) => Inverted(at) + "-" + id;

    private static string Inverted(DateTimeOffset at) => (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
}
