using ELicence.Core.Holders;

namespace ELicence.Storage.Holders;

/// <summary>
/// Table <c>holderkeys</c>, one partition per licence (its credit code): a <c>listing</c> row and one row per key
/// (<c>key-{keyId}</c>). Every change replaces the listing row under its ETag in the same entity-group transaction, so two
/// concurrent changes cannot both pass the administrator limit, and a reset removes every key at once.
/// </summary>
public sealed class HolderKeyStore(StorageClients storage) : IHolderKeyStore
{
    private const string ListingRow = "listing";
    private const string KeyRowPrefix = "key-";
    private const string KeyRowEnd = "key.";
    private readonly TableClient _table = storage.Table(StorageNames.HolderKeysTable);

    public async Task<HolderKeys> ReadAsync(CreditCode code, CancellationToken cancellationToken)
    {
        var partition = code.Value;
        string? etag = null;
        var keys = new List<HolderKey>();
        await foreach (var e in _table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, cancellationToken: cancellationToken))
        {
            if (e.RowKey == ListingRow)
            {
                etag = e.ETag.ToString();
            }
            else if (string.CompareOrdinal(e.RowKey, KeyRowPrefix) >= 0 && string.CompareOrdinal(e.RowKey, KeyRowEnd) < 0)
            {
                keys.Add(FromEntity(e));
            }
        }

        return new HolderKeys(code, [.. keys.OrderBy(k => k.CreatedAt)], etag);
    }

    public async Task<bool> TryCommitAsync(HolderKeys read, IReadOnlyList<HolderKey> changed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(changed);
        var listing = new TableEntity(read.Code.Value, ListingRow) { ["Keys"] = read.Keys.Count + changed.Count(c => read.Keys.All(k => k.KeyId != c.KeyId)) };
        var actions = new List<TableTransactionAction>
        {
            read.ETag is null
                ? new(TableTransactionActionType.Add, listing)
                : new(TableTransactionActionType.UpdateReplace, listing, new ETag(read.ETag)),
        };
        actions.AddRange(changed.Select(k => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(read.Code, k))));
        try
        {
            await _table.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 409 or 404)
        {
            return false;
        }
    }

    private static TableEntity ToEntity(CreditCode code, HolderKey key) => new(code.Value, KeyRowPrefix + key.KeyId)
    {
        ["Kind"] = key.Kind.ToString(),
        ["Name"] = key.Name,
        ["Scopes"] = string.Join(',', key.Scopes),
        ["CreatedAt"] = key.CreatedAt,
        ["ExpiresAt"] = key.ExpiresAt,
        ["CreatedBy"] = key.CreatedBy,
        ["RemovedAt"] = key.RemovedAt,
    };

    private static HolderKey FromEntity(TableEntity e) => new(
        e.RowKey[KeyRowPrefix.Length..],
        Enum.Parse<HolderKind>(e.GetString("Kind")),
        e.GetString("Name"),
        [.. (e.GetString("Scopes") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<HolderScope>)],
        e.GetDateTimeOffset("CreatedAt") ?? default,
        e.GetDateTimeOffset("ExpiresAt"),
        e.GetString("CreatedBy"),
        e.GetDateTimeOffset("RemovedAt"));
}
