using System.Security.Cryptography;
using System.Text;

namespace ELicence.Storage.Applications;

/// <summary>Idempotency keys, scoped to the caller that sent them; the first insert wins.</summary>
public sealed class IdempotencyStore(StorageClients storage) : IIdempotencyStore
{
    private const string Row = "key";
    private readonly TableClient _table = storage.Table(StorageNames.IdempotencyTable);

    public async Task<IdempotencyRecord> GetOrAddAsync(IdempotencyRecord candidate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        // Keys are client-chosen text: hash them into a key-safe partition name.
        var partition = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(candidate.CallerId + "\n" + candidate.Key)));
        var entity = new IdempotencyEntity
        {
            PartitionKey = partition,
            RowKey = Row,
            CallerId = candidate.CallerId,
            RequestHash = candidate.RequestHash,
            ResourceId = candidate.ResourceId,
            CreatedAt = candidate.CreatedAt,
        };
        if (await _table.TryAddAsync(entity, cancellationToken))
        {
            return candidate;
        }

        var stored = await _table.FindAsync<IdempotencyEntity>(partition, Row, cancellationToken)
            ?? throw new InvalidOperationException("An idempotency record vanished.");
        return new IdempotencyRecord(stored.CallerId, candidate.Key, stored.RequestHash, stored.ResourceId, stored.CreatedAt);
    }

    private sealed class IdempotencyEntity : ITableEntity
    {
        public string PartitionKey { get; set; } = "";

        public string RowKey { get; set; } = "";

        public DateTimeOffset? Timestamp { get; set; }

        public ETag ETag { get; set; }

        public string CallerId { get; set; } = "";

        public string RequestHash { get; set; } = "";

        public string ResourceId { get; set; } = "";

        public DateTimeOffset CreatedAt { get; set; }
    }
}
