using System.Security.Cryptography;
using System.Text;
using ELicence.Core.Log;
using ELicence.Tlog;

namespace ELicence.Storage.Log;

/// <summary>
/// Table <c>logpending</c>: leaves waiting for the sequencer. Partition <c>s0</c>…<c>s7</c> by the first byte of SHA-256 of the
/// leaf id (so no single partition takes every receipt), row key the leaf id made key-safe, the canonical entry in
/// <c>Entry</c> (binary) and <c>AddedAt</c>. Adding the same id twice leaves one row with the same entry (an upsert of
/// deterministic content). The sequencer reads the shards in order and removes a row once the leaf is under a checkpoint.
/// </summary>
public sealed class PendingLeafStore(StorageClients storage) : IPendingLeafSink
{
    public const int Shards = 8;
    private readonly TableClient _table = storage.Table(StorageNames.LogPendingTable);

    public static string ShardOf(string id) => "s" + (SHA256.HashData(Encoding.UTF8.GetBytes(id))[0] % Shards).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string RowOf(string id) => Receipts.ReceiptStore.KeySafe(id);

    public static string IdOf(string row) => Uri.UnescapeDataString(row.Replace('~', '%'));

    public async Task AddAsync(PendingLeaf leaf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        await _table.UpsertEntityAsync(Entity(leaf), TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>The row a leaf is kept in, for producers that add it inside their own entity-group transaction of this table.</summary>
    public static TableEntity Entity(PendingLeaf leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        return new TableEntity(ShardOf(leaf.Id), RowOf(leaf.Id)) { ["Entry"] = leaf.Entry, ["AddedAt"] = DateTimeOffset.UtcNow };
    }

    /// <summary>Up to <paramref name="max"/> pending leaves, shard by shard in row-key order (the same set always comes in the same order).</summary>
    public async Task<IReadOnlyList<PendingLeaf>> ReadAsync(int max, CancellationToken cancellationToken)
    {
        var leaves = new List<PendingLeaf>();
        for (var shard = 0; shard < Shards && leaves.Count < max; shard++)
        {
            var partition = "s" + shard.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await foreach (var e in _table.QueryAsync<TableEntity>(x => x.PartitionKey == partition, maxPerPage: Math.Min(1000, max), cancellationToken: cancellationToken))
            {
                leaves.Add(new PendingLeaf(IdOf(e.RowKey), e.GetBinary("Entry")));
                if (leaves.Count == max)
                {
                    break;
                }
            }
        }

        return leaves;
    }

    /// <summary>Removes the rows of sequenced leaves, in entity-group transactions of up to 100 per shard; rows already gone are fine.</summary>
    public async Task RemoveAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        foreach (var shard in ids.Distinct(StringComparer.Ordinal).GroupBy(ShardOf))
        {
            foreach (var chunk in shard.Chunk(100))
            {
                try
                {
                    await _table.SubmitTransactionAsync(chunk.Select(id => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(shard.Key, RowOf(id)), ETag.All)), cancellationToken);
                }
                catch (TableTransactionFailedException)
                {
                    // One row was gone already (a rerun after a crash): delete the rest one by one.
                    foreach (var id in chunk)
                    {
                        try
                        {
                            await _table.DeleteEntityAsync(shard.Key, RowOf(id), ETag.All, cancellationToken);
                        }
                        catch (RequestFailedException e) when (e.Status == 404)
                        {
                        }
                    }
                }
            }
        }
    }
}
