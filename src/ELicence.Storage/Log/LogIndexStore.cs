using System.Security.Cryptography;
using System.Text;
using ELicence.Core.Log;
using ELicence.Tlog;

namespace ELicence.Storage.Log;

/// <summary>
/// The log's state beside its tiles. Blob <c>checkpoint</c> in container <c>log</c>: the latest signed checkpoint, the commit
/// point. Table <c>logindex</c>, three kinds of rows, each written by the sequencer before the checkpoint that commits them:
/// <list type="bullet">
/// <item>partition <c>id-s0</c>…<c>id-s7</c> (shard of the leaf id, as <see cref="PendingLeafStore"/>), row key the key-safe leaf id: <c>Index</c>;</item>
/// <item>partition <c>hash-0</c>…<c>hash-7</c> (first byte of the leaf hash mod 8), row key the hex leaf hash: <c>Index</c>;</item>
/// <item>partition <c>code-{credit code}</c>, row key the index in 19 digits: one per leaf whose entry names that licence (<c>Id</c>).</item>
/// </list>
/// Rows of a batch that crashed before its checkpoint may point past the tree or at another leaf: readers check them against it.
/// </summary>
public sealed class LogIndexStore(StorageClients storage) : ILogIndex
{
    public const string CheckpointBlob = "checkpoint";
    private const int Shards = 8;
    private readonly TableClient _table = storage.Table(StorageNames.LogIndexTable);
    private readonly BlobClient _checkpoint = storage.Container(StorageNames.LogContainer).GetBlobClient(CheckpointBlob);

    public async Task<string?> ReadCheckpointAsync(CancellationToken cancellationToken) => (await ReadCheckpointWithETagAsync(cancellationToken))?.Note;

    /// <summary>The checkpoint and the ETag to make its replacement conditional on.</summary>
    public async Task<(string Note, ETag ETag)?> ReadCheckpointWithETagAsync(CancellationToken cancellationToken)
    {
        try
        {
            var content = (await _checkpoint.DownloadContentAsync(cancellationToken)).Value;
            return (Encoding.UTF8.GetString(content.Content.ToMemory().Span), content.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Replaces the checkpoint only if it is still the one read at <paramref name="readAt"/> (none: only if there is none), so a writer whose lease lapsed cannot commit over another's.</summary>
    public async Task<ETag> WriteCheckpointAsync(string note, ETag? readAt, CancellationToken cancellationToken) =>
        (await _checkpoint.UploadAsync(BinaryData.FromString(note), new BlobUploadOptions
        {
            Conditions = readAt is { } etag ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = ETag.All },
            HttpHeaders = new BlobHttpHeaders { ContentType = "text/plain; charset=utf-8" },
        }, cancellationToken)).Value.ETag;

    public Task<long?> FindIndexAsync(string id, CancellationToken cancellationToken) =>
        FindAsync(IdPartition(id), PendingLeafStore.RowOf(id), cancellationToken);

    public Task<long?> FindByLeafHashAsync(byte[] leafHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leafHash);
        return FindAsync(HashPartition(leafHash), Convert.ToHexStringLower(leafHash), cancellationToken);
    }

    public async Task<IReadOnlyList<long>> ListByCodeAsync(CreditCode code, long after, int max, CancellationToken cancellationToken)
    {
        var partition = CodePartition(code.Value);
        var from = Math.Max(-1, after).ToString("D19", CultureInfo.InvariantCulture); // "-1" sorts before every index
        var indexes = new List<long>();
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == partition && e.RowKey.CompareTo(from) > 0, maxPerPage: Math.Min(1000, max), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            indexes.Add(long.Parse(row.RowKey, NumberStyles.None, CultureInfo.InvariantCulture));
            if (indexes.Count == max)
            {
                break;
            }
        }

        return indexes;
    }

    /// <summary>Upserts the rows of a batch's leaves, 100 per entity-group transaction; writing them again changes nothing.</summary>
    public async Task RecordAsync(IReadOnlyList<SequencedLeaf> leaves, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        var rows = new List<TableEntity>();
        foreach (var leaf in leaves)
        {
            rows.Add(new TableEntity(IdPartition(leaf.Id), PendingLeafStore.RowOf(leaf.Id)) { ["Index"] = leaf.Index });
            var hash = MerkleHash.Leaf(leaf.Entry);
            rows.Add(new TableEntity(HashPartition(hash), Convert.ToHexStringLower(hash)) { ["Index"] = leaf.Index });
            if (LogEntries.Describe(leaf.Entry)?.Code is { } code)
            {
                rows.Add(new TableEntity(CodePartition(code), leaf.Index.ToString("D19", CultureInfo.InvariantCulture)) { ["Id"] = leaf.Id });
            }
        }

        // One row per key: the same entry twice in a batch keeps the later index.
        foreach (var partition in rows.GroupBy(r => (r.PartitionKey, r.RowKey)).Select(g => g.Last()).GroupBy(r => r.PartitionKey, StringComparer.Ordinal))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                await _table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), cancellationToken);
            }
        }
    }

    private static string IdPartition(string id) => "id-" + PendingLeafStore.ShardOf(id);

    private static string HashPartition(byte[] hash) => "hash-" + (hash[0] % Shards).ToString(CultureInfo.InvariantCulture);

    // A credit code is 18 letters and digits; anything else an entry might carry is made key-safe.
    private static string CodePartition(string code) => "code-" + Receipts.ReceiptStore.KeySafe(code);

    private async Task<long?> FindAsync(string partition, string row, CancellationToken cancellationToken)
    {
        var found = await _table.GetEntityIfExistsAsync<TableEntity>(partition, row, ["Index"], cancellationToken);
        return found.HasValue ? found.Value!.GetInt64("Index") : null;
    }
}
