namespace ELicence.Storage.Licences;

/// <summary>
/// The outbox rows of the licences table: "outbox-e000001"… in the licence's partition, added in the transaction that
/// commits the event (<see cref="LicenceStore"/>), deleted once every subscriber has the event.
/// </summary>
public sealed class LicenceOutbox(StorageClients storage) : ILicenceOutbox
{
    private const string Prefix = "outbox-";
    private const string End = "outbox.";
    private readonly TableClient _table = storage.Table(StorageNames.LicencesTable);

    internal static TableEntity PendingEntity(CreditCode code, LicenceEvent e) => new(code.Value, Row(e.Sequence)) { ["CommittedAt"] = e.At };

    public async Task<IReadOnlyList<int>> GetPendingAsync(CreditCode code, CancellationToken cancellationToken)
    {
        var partition = code.Value;
        var pending = new List<int>();
        await foreach (var e in _table.QueryAsync<TableEntity>(
            x => x.PartitionKey == partition && x.RowKey.CompareTo(Prefix) >= 0 && x.RowKey.CompareTo(End) < 0,
            select: ["RowKey"],
            cancellationToken: cancellationToken))
        {
            pending.Add(Sequence(e.RowKey));
        }

        pending.Sort();
        return pending;
    }

    public async Task RemoveAsync(CreditCode code, int sequence, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(code.Value, Row(sequence), ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Removed by a concurrent dispatch of the same licence.
        }
    }

    public async IAsyncEnumerable<CreditCode> FindStaleAsync(DateTimeOffset committedBefore, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A cross-partition range query over row keys, like the status-sync sweep: outbox rows live only seconds, so it returns few.
        await foreach (var e in _table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"RowKey ge {Prefix} and RowKey lt {End} and CommittedAt lt {committedBefore}"),
            select: ["PartitionKey"],
            cancellationToken: cancellationToken))
        {
            yield return CreditCode.FromStored(e.PartitionKey);
        }
    }

    private static string Row(int sequence) => Prefix + LicenceStore.EventRow(sequence);

    private static int Sequence(string row) => int.Parse(row.AsSpan(Prefix.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture);
}

/// <summary>The licence-events queue: one message per commit, naming the licence whose outbox to relay.</summary>
public sealed class LicenceEventQueue(StorageClients storage) : ILicenceEventQueue
{
    public Task EnqueueAsync(CreditCode code, CancellationToken cancellationToken) =>
        storage.Queue(StorageNames.LicenceEventsQueue).SendMessageAsync(ElicenceJson.Serialize(new LicenceEventsMessage(code.Value)), cancellationToken);
}
