using System.Collections.Concurrent;
using ELicence.Core.Log;
using ELicence.Core.Usage;
using ELicence.Core.Verification;
using ELicence.Storage.Log;
using ELicence.Storage.Usage;
using Microsoft.Extensions.Logging;

namespace ELicence.Storage.Receipts;

/// <summary>
/// Hands journaled receipts (<see cref="ReceiptJournal"/>) to their indexes: for each row, the licence usage rows (table
/// <c>licenceusage</c>), the by-verifier row (<c>receiptsbyverifier</c>), the log leaf (<c>logpending</c>) and, when the row
/// holds the JWS and the sweep found it, the receipt blob if it is missing; then it deletes the row. Every write is an upsert
/// of deterministic content (or a write-once blob of the row's own bytes), so relaying a row twice duplicates nothing.
/// Two triggers: a kick after each save (rows accumulated meanwhile go in one run; failures are left to the sweep), and
/// <see cref="SweepAsync"/> on a timer, which relays rows of closed minutes from a durable watermark, so the rows of an
/// instance that crashed are relayed by another.
/// </summary>
public sealed class ReceiptRelay(StorageClients storage, TimeProvider time, ILogger<ReceiptRelay> logger)
{
    /// <summary>How far behind its clock the sweep stays: more than instances' clocks differ plus a slow request's journal write.</summary>
    public static readonly TimeSpan SkewMargin = TimeSpan.FromMinutes(1);

    /// <summary>Where the first sweep of a new journal starts.</summary>
    public static readonly TimeSpan InitialLookback = TimeSpan.FromMinutes(10);

    private const int MaxRowsPerRun = 1000;
    private const int MaxKickedRows = 20_000;
    private const int WriteParallelism = 16;
    private const string WatermarkPartition = "watermark";
    private const string WatermarkRow = "relay";
    private readonly TableClient _journal = storage.Table(StorageNames.ReceiptJournalTable);
    private readonly TableClient _usage = storage.Table(StorageNames.LicenceUsageTable);
    private readonly TableClient _byVerifier = storage.Table(StorageNames.ReceiptsByVerifierTable);
    private readonly TableClient _pending = storage.Table(StorageNames.LogPendingTable);
    private readonly BlobContainerClient _container = storage.Container(StorageNames.ReceiptsContainer);
    private readonly ConcurrentQueue<JournalRow> _kicked = new();
    private int _draining;

    /// <summary>
    /// Relays <paramref name="row"/> soon, in the background, outside the caller's flow (its round trips are not the request's).
    /// When the relay has fallen far behind, the row is left to the sweep rather than held in memory.
    /// </summary>
    public void Kick(JournalRow row)
    {
        if (_kicked.Count >= MaxKickedRows)
        {
            return;
        }

        _kicked.Enqueue(row);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(DrainAsync);
            }
        }
    }

    private async Task DrainAsync()
    {
        do
        {
            try
            {
                while (!_kicked.IsEmpty)
                {
                    var rows = new List<JournalRow>();
                    while (rows.Count < MaxRowsPerRun && _kicked.TryDequeue(out var row))
                    {
                        rows.Add(row);
                    }

                    try
                    {
                        // The blob was written before the kick: only the sweep checks it.
                        await RelayAsync(rows, checkBlobs: false, CancellationToken.None);
                    }
                    catch (Exception e)
                    {
                        logger.LogWarning(e, "Relaying {Count} receipts failed; the sweep relays them", rows.Count);
                    }
                }
            }
            finally
            {
                Volatile.Write(ref _draining, 0);
            }
        }
        while (!_kicked.IsEmpty && Interlocked.CompareExchange(ref _draining, 1, 0) == 0);
    }

    /// <summary>
    /// Relays the rows of every minute from the watermark up to the skew margin before now (at most <see cref="MaxRowsPerRun"/>
    /// a run), then moves the watermark there when none failed. A row that can never be relayed (no JWS and no blob, or not a
    /// receipt) is logged and left in the table for an operator; it does not hold the watermark back.
    /// </summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var until = ReceiptJournal.Bucket(now - SkewMargin);
        var mark = await _journal.FindAsync<TableEntity>(WatermarkPartition, WatermarkRow, cancellationToken);
        var from = mark?.GetString("Bucket") ?? ReceiptJournal.Bucket(now - InitialLookback);
        if (string.CompareOrdinal(from, until) >= 0)
        {
            return;
        }

        // Partition keys sort by minute, so closed minutes are one range (the watermark's own partition sorts after digits).
        var rows = new List<JournalRow>();
        await foreach (var e in _journal.QueryAsync<TableEntity>(
            x => x.PartitionKey.CompareTo(from) >= 0 && x.PartitionKey.CompareTo(until) < 0, maxPerPage: MaxRowsPerRun, cancellationToken: cancellationToken))
        {
            rows.Add(new JournalRow(e.PartitionKey, e.RowKey, e.GetString("Kind") ?? "", e.GetString("VerifierId") ?? "", e.GetString("Jws")));
            if (rows.Count == MaxRowsPerRun)
            {
                break;
            }
        }

        await RelayAsync(rows, checkBlobs: true, cancellationToken);
        if (rows.Count < MaxRowsPerRun)
        {
            await MoveWatermarkAsync(mark, until, cancellationToken);
        }
    }

    /// <summary>Relays the rows (idempotently) and deletes them; throws when a write failed, leaving every row for the next try.</summary>
    public async Task RelayAsync(IReadOnlyList<JournalRow> rows, bool checkBlobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var writes = new List<(TableClient Table, TableEntity Entity)>();
        var done = new List<JournalRow>();
        foreach (var row in rows)
        {
            var jws = row.Jws ?? (await ReceiptStore.ReadAsync<object>(_container, row.Id, cancellationToken))?.Jws;
            var entities = jws is null ? null : EntitiesOf(row, jws);
            if (entities is null)
            {
                logger.LogError("Journal row {Partition}/{Id} cannot be relayed (no JWS, no blob, or not a receipt); it stays for an operator", row.Partition, row.Id);
                continue;
            }

            if (checkBlobs && row.Jws is not null)
            {
                // The crash between journal row and blob: the receipt is the record, so the blob is written from the row.
                await BlobWrites.TryUploadOnceAsync(_container.GetBlobClient(row.Id + ".jwt"), BinaryData.FromString(row.Jws), "application/jwt", ReceiptStore.Metadata(row.VerifierId), cancellationToken);
            }

            writes.AddRange(entities);
            done.Add(row);
        }

        await UpsertAsync(writes, cancellationToken);
        await DeleteAsync(done, cancellationToken);
    }

    /// <summary>What a receipt's row stands for in the other tables: usage rows, the by-verifier row, the log leaf.</summary>
    private List<(TableClient, TableEntity)>? EntitiesOf(JournalRow row, string jws)
    {
        try
        {
            return row.Kind switch
            {
                ReceiptJournal.SingleKind => EntitiesOf(new StoredReceipt(row.Id, row.VerifierId, jws, ReceiptStore.Claims<Receipt>(row.Id, jws))),
                ReceiptJournal.BatchKind => EntitiesOf(new StoredBatchReceipt(row.Id, row.VerifierId, jws, ReceiptStore.Claims<BatchReceipt>(row.Id, jws))),
                _ => null,
            };
        }
        catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException)
        {
            logger.LogError(e, "Journal row {Id} holds no readable receipt", row.Id);
            return null;
        }
    }

    private List<(TableClient, TableEntity)> EntitiesOf(StoredReceipt stored)
    {
        var r = stored.Receipt;
        var entities = new List<(TableClient, TableEntity)>
        {
            (_byVerifier, ByVerifier(stored.VerifierId, stored.Id, r.VerifiedAt, r.Purpose, r.Subject, r.Valid)),
            (_pending, PendingLeafStore.Entity(LogEntries.ForReceipt(stored))),
        };
        if (r.Subject is { } code && TableExtensions.IsKeySafe(code))
        {
            var use = new UsageRecord(stored.Id, UsageKind.Verification, r.VerifiedAt, r.Verifier.Id, r.Verifier.Name, r.Purpose, r.Valid ? "valid" : "invalid", ReceiptId: stored.Id);
            entities.Add((_usage, UsageStore.Entity(CreditCode.FromStored(code), use)));
        }

        return entities;
    }

    private List<(TableClient, TableEntity)> EntitiesOf(StoredBatchReceipt stored)
    {
        var batch = stored.Receipt;
        var verifierRow = ByVerifier(stored.VerifierId, stored.Id, batch.VerifiedAt, batch.Purpose, null, null);
        verifierRow["Items"] = batch.Summary.Total;
        verifierRow["ValidItems"] = batch.Summary.Valid;
        var entities = new List<(TableClient, TableEntity)> { (_byVerifier, verifierRow), (_pending, PendingLeafStore.Entity(LogEntries.ForBatchReceipt(stored))) };
        // Only items whose licence was found: their code came out of the register (or a credential it issued), so it is a valid table key.
        foreach (var item in batch.Items.Where(i => i.CreditCode is not null && i.Outcome != BatchOutcome.Problem && TableExtensions.IsKeySafe(i.CreditCode)))
        {
            var use = new UsageRecord(
                $"{stored.Id}_{item.Index:D3}", UsageKind.Verification, batch.VerifiedAt, batch.Verifier.Id, batch.Verifier.Name, batch.Purpose, item.Outcome == BatchOutcome.Valid ? "valid" : "invalid", ReceiptId: stored.Id);
            entities.Add((_usage, UsageStore.Entity(CreditCode.FromStored(item.CreditCode!), use, item.Index)));
        }

        return entities;
    }

    private static TableEntity ByVerifier(string verifierId, string id, DateTimeOffset verifiedAt, string? purpose, string? code, bool? valid) =>
        new(ReceiptStore.KeySafe(verifierId), id)
        {
            ["ReceiptId"] = id,
            ["VerifierId"] = verifierId,
            ["CreditCode"] = code,
            ["VerifiedAt"] = verifiedAt,
            ["Valid"] = valid,
            ["Purpose"] = purpose,
        };

    /// <summary>Upserts, one entity-group transaction per partition and 100 rows; partitions in parallel.</summary>
    private static Task UpsertAsync(List<(TableClient Table, TableEntity Entity)> writes, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            writes.GroupBy(w => (w.Table, w.Entity.PartitionKey)).SelectMany(g => g.Select(w => w.Entity).Chunk(100).Select(chunk => (g.Key.Table, Chunk: chunk))),
            new ParallelOptions { MaxDegreeOfParallelism = WriteParallelism, CancellationToken = cancellationToken },
            async (group, token) =>
            {
                if (group.Chunk.Length == 1)
                {
                    await group.Table.UpsertEntityAsync(group.Chunk[0], TableUpdateMode.Replace, token);
                }
                else
                {
                    await group.Table.SubmitTransactionAsync(group.Chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), token);
                }
            });

    /// <summary>Deletes relayed rows; a row gone already (relayed by another run) is fine.</summary>
    private Task DeleteAsync(List<JournalRow> rows, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            rows.GroupBy(r => r.Partition).SelectMany(g => g.Chunk(100)),
            new ParallelOptions { MaxDegreeOfParallelism = WriteParallelism, CancellationToken = cancellationToken },
            async (chunk, token) =>
            {
                try
                {
                    await _journal.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(r.Partition, r.Id), ETag.All)), token);
                }
                catch (TableTransactionFailedException)
                {
                    foreach (var r in chunk)
                    {
                        try
                        {
                            await _journal.DeleteEntityAsync(r.Partition, r.Id, ETag.All, token);
                        }
                        catch (RequestFailedException e) when (e.Status == 404)
                        {
                        }
                    }
                }
            });

    /// <summary>Moves the watermark forward only: a concurrent sweep that moved it first wins (412/409 are ignored).</summary>
    private async Task MoveWatermarkAsync(TableEntity? mark, string bucket, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(WatermarkPartition, WatermarkRow) { ["Bucket"] = bucket };
        try
        {
            if (mark is null)
            {
                await _journal.AddEntityAsync(entity, cancellationToken);
            }
            else
            {
                await _journal.UpdateEntityAsync(entity, mark.ETag, TableUpdateMode.Replace, cancellationToken);
            }
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
        }
    }
}
