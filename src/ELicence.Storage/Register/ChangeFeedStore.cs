using Azure.Storage.Blobs.Specialized;
using ELicence.Core.Register;

namespace ELicence.Storage.Register;

/// <summary>
/// The change feed in one table partition, so that an append is one entity-group transaction: the head row (last
/// sequence number and floor, guarded by its ETag), the new entry row <c>e{sequence:D12}</c>, and the licence's
/// high-water mark <c>hwm-{code}</c> (guarded by its ETag). A crash before the commit leaves nothing; after it, the mark
/// makes the retry a no-op. One writer at a time holds a lease on a blob, so appends do not race on the head row; the
/// ETags keep the order correct even if a lease expires under a slow writer. Within an instance the writers queue on a
/// local gate first, so only one of them at a time asks storage for the lease (a burst of appends does not spin on it).
/// </summary>
public sealed class ChangeFeedStore(StorageClients storage) : IChangeFeedStore, IDisposable
{
    private const string Partition = "feed";
    private const string HeadRow = "head";
    private const string EntryPrefix = "e";
    private const string EntryEnd = "f";
    private const string LockBlob = "locks/change-feed-writer";
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan LeaseWait = TimeSpan.FromSeconds(60);
    private readonly TableClient _table = storage.Table(StorageNames.RegisterFeedTable);
    private readonly BlobClient _lock = storage.Container(StorageNames.RegisterFilesContainer).GetBlobClient(LockBlob);
    private readonly SemaphoreSlim _localWriter = new(1, 1);
    private volatile bool _lockBlobExists;

    public void Dispose() => _localWriter.Dispose();

    public static string EntryRow(long sequence) => EntryPrefix + sequence.ToString("D12", CultureInfo.InvariantCulture);

    private static string MarkRow(CreditCode code) => "hwm-" + code.Value;

    public async Task<FeedEntry?> AppendAsync(CreditCode code, int eventSequence, Func<long, FeedEntry> entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var lease = await AcquireLeaseAsync(cancellationToken);
        try
        {
            for (var attempt = 0; attempt < 10; attempt++)
            {
                var head = await _table.FindAsync<TableEntity>(Partition, HeadRow, cancellationToken);
                var mark = await _table.FindAsync<TableEntity>(Partition, MarkRow(code), cancellationToken);
                if (mark is not null && mark.GetInt32("EventSequence") >= eventSequence)
                {
                    return null;
                }

                var appended = entry((head?.GetInt64("Last") ?? 0) + 1);
                var newHead = new TableEntity(Partition, HeadRow) { ["Last"] = appended.Sequence, ["Floor"] = head?.GetInt64("Floor") ?? 0L };
                var newMark = new TableEntity(Partition, MarkRow(code)) { ["EventSequence"] = eventSequence, ["Sequence"] = appended.Sequence };
                try
                {
                    await _table.SubmitTransactionAsync(
                    [
                        head is null ? new(TableTransactionActionType.Add, newHead) : new(TableTransactionActionType.UpdateReplace, newHead, head.ETag),
                        new(TableTransactionActionType.Add, new TableEntity(Partition, EntryRow(appended.Sequence)) { ["Entry"] = ElicenceJson.Serialize(appended), ["At"] = appended.At }),
                        mark is null ? new(TableTransactionActionType.Add, newMark) : new(TableTransactionActionType.UpdateReplace, newMark, mark.ETag),
                    ], cancellationToken);
                    return appended;
                }
                catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
                {
                    // Another writer got in (its lease expired, or it ran without one): read the head again.
                }
            }

            throw new InvalidOperationException($"The change feed stayed contended while appending event {eventSequence} of {code}; the outbox will retry.");
        }
        finally
        {
            await ReleaseAsync(lease);
        }
    }

    public async Task<FeedHead> GetHeadAsync(CancellationToken cancellationToken)
    {
        var head = await _table.FindAsync<TableEntity>(Partition, HeadRow, cancellationToken);
        return new FeedHead(head?.GetInt64("Last") ?? 0, head?.GetInt64("Floor") ?? 0);
    }

    public async Task<IReadOnlyList<FeedEntry>> ReadAsync(long after, int limit, CancellationToken cancellationToken)
    {
        var from = EntryRow(after);
        var entries = new List<FeedEntry>(limit);
        await foreach (var row in _table.QueryAsync<TableEntity>(
            e => e.PartitionKey == Partition && e.RowKey.CompareTo(from) > 0 && e.RowKey.CompareTo(EntryEnd) < 0,
            maxPerPage: limit,
            select: ["Entry"],
            cancellationToken: cancellationToken))
        {
            entries.Add(Entry(row));
            if (entries.Count == limit)
            {
                break;
            }
        }

        return entries;
    }

    public async Task TrimAsync(long upTo, DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        var lease = await AcquireLeaseAsync(cancellationToken);
        try
        {
            var head = await _table.FindAsync<TableEntity>(Partition, HeadRow, cancellationToken);
            if (head is null)
            {
                return;
            }

            var floor = head.GetInt64("Floor") ?? 0;
            var doomed = new List<long>();
            await foreach (var row in _table.QueryAsync<TableEntity>(
                e => e.PartitionKey == Partition && e.RowKey.CompareTo(EntryRow(floor)) > 0 && e.RowKey.CompareTo(EntryRow(upTo)) <= 0,
                select: ["RowKey", "At"],
                cancellationToken: cancellationToken))
            {
                if (row.GetDateTimeOffset("At") is not { } at || at >= olderThan)
                {
                    break;
                }

                doomed.Add(long.Parse(row.RowKey.AsSpan(1), CultureInfo.InvariantCulture));
            }

            if (doomed.Count == 0)
            {
                return;
            }

            // The floor rises first, so a reader never meets the gap the deletions leave: it is told 410 instead.
            head["Floor"] = doomed[^1];
            await _table.UpdateEntityAsync(head, head.ETag, TableUpdateMode.Replace, cancellationToken);
            foreach (var chunk in doomed.Chunk(100))
            {
                await _table.SubmitTransactionAsync(chunk.Select(s => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Partition, EntryRow(s)), ETag.All)), cancellationToken);
            }
        }
        finally
        {
            await ReleaseAsync(lease);
        }
    }

    /// <summary>The local gate, then the lease; <see cref="ReleaseAsync"/> gives both back.</summary>
    private async Task<BlobLeaseClient> AcquireLeaseAsync(CancellationToken cancellationToken)
    {
        await _localWriter.WaitAsync(cancellationToken);
        try
        {
            return await AcquireStorageLeaseAsync(cancellationToken);
        }
        catch
        {
            _localWriter.Release();
            throw;
        }
    }

    private async Task<BlobLeaseClient> AcquireStorageLeaseAsync(CancellationToken cancellationToken)
    {
        if (!_lockBlobExists)
        {
            try
            {
                await _lock.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // It exists (and may be leased): that is all this needs.
            }

            _lockBlobExists = true;
        }

        var lease = _lock.GetBlobLeaseClient();
        var deadline = DateTimeOffset.UtcNow + LeaseWait;
        while (true)
        {
            try
            {
                await lease.AcquireAsync(LeaseDuration, cancellationToken: cancellationToken);
                return lease;
            }
            catch (RequestFailedException e) when (e.Status == 409 && DateTimeOffset.UtcNow < deadline)
            {
                // Another instance writes: wait for it (this instance's other writers wait on the local gate meanwhile).
                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                _lockBlobExists = false; // removed under us: the next append creates it again
                throw;
            }
        }
    }

    private async Task ReleaseAsync(BlobLeaseClient lease)
    {
        try
        {
            await lease.ReleaseAsync();
        }
        catch (RequestFailedException)
        {
            // Expired or taken over: the lease ends by itself.
        }
        finally
        {
            _localWriter.Release();
        }
    }

    private static FeedEntry Entry(TableEntity row) =>
        ElicenceJson.Deserialize<FeedEntry>(row.GetString("Entry")) ?? throw new InvalidOperationException($"Feed row {row.RowKey} has no entry.");
}
