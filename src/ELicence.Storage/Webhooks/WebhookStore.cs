using ELicence.Core.Webhooks;

namespace ELicence.Storage.Webhooks;

/// <summary>
/// Table <c>webhooks</c>, one partition per subscription: the subscription row, one row per covered code
/// (<c>code-{code}</c>) and its deliveries (<see cref="WebhookDeliveryStore"/>). Table <c>webhookcodes</c> indexes the codes
/// by credit code (partition = code, row = subscription id), so fan-out for a licence is one partition query. The signing
/// secret is stored encrypted (<see cref="WebhookSecretProtector"/>).
/// </summary>
public sealed class WebhookStore(StorageClients storage, WebhookSecretProtector protector) : IWebhookStore
{
    internal const string SubscriptionRow = "subscription";
    private const string CodeRowPrefix = "code-";
    private const string CodeRowEnd = "code.";
    private const int TransactionSize = 100;
    private const int Parallelism = 8;
    private readonly TableClient _table = storage.Table(StorageNames.WebhooksTable);
    private readonly TableClient _index = storage.Table(StorageNames.WebhookCodesTable);

    public async Task<bool> TryAddAsync(WebhookSubscription subscription, string secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return await _table.TryAddAsync(await ToEntityAsync(subscription, secret, cancellationToken), cancellationToken);
    }

    public async Task<StoredSubscription?> FindAsync(string id, CancellationToken cancellationToken) =>
        WebhookSubscription.IsWellFormedId(id) && await _table.FindAsync<TableEntity>(id, SubscriptionRow, cancellationToken) is { } e
            ? new StoredSubscription(FromEntity(e), await protector.UnprotectAsync(e.GetString("Secret"), id, cancellationToken), e.ETag.ToString())
            : null;

    public async Task<IReadOnlyList<WebhookSubscription>> ListAsync(string verifierId, CancellationToken cancellationToken)
    {
        var found = new List<WebhookSubscription>();
        await foreach (var e in _table.QueryAsync<TableEntity>(e => e.RowKey == SubscriptionRow && e.GetString("VerifierId") == verifierId, cancellationToken: cancellationToken))
        {
            found.Add(FromEntity(e));
        }

        return [.. found.OrderBy(s => s.CreatedAt)];
    }

    /// <summary>Replaces the row; a secret stored in plain text before encryption is encrypted by this write.</summary>
    public async Task<bool> TryReplaceAsync(StoredSubscription read, WebhookSubscription updated, string secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(updated);
        return await _table.TryReplaceAsync(await ToEntityAsync(updated, secret, cancellationToken), new ETag(read.ETag), cancellationToken);
    }

    public async Task<IReadOnlyCollection<CreditCode>> CodesAsync(string id, CancellationToken cancellationToken)
    {
        var codes = new List<CreditCode>();
        var from = CodeRowPrefix;
        await foreach (var e in _table.QueryAsync<TableEntity>(
            e => e.PartitionKey == id && e.RowKey.CompareTo(from) >= 0 && e.RowKey.CompareTo(CodeRowEnd) < 0, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            codes.Add(CreditCode.FromStored(e.RowKey[CodeRowPrefix.Length..]));
        }

        return codes;
    }

    public async Task<bool> CoversAsync(string id, CreditCode code, CancellationToken cancellationToken) =>
        await _table.FindAsync<TableEntity>(id, CodeRowPrefix + code.Value, cancellationToken) is not null;

    public async Task ChangeCodesAsync(string id, IReadOnlyCollection<CreditCode> add, IReadOnlyCollection<CreditCode> remove, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(add);
        ArgumentNullException.ThrowIfNull(remove);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };
        // Index first, truth second when adding; truth first, index second when removing: the index never misses a covered code.
        await Parallel.ForEachAsync(add, parallel, async (code, ct) => await _index.UpsertEntityAsync(new TableEntity(code.Value, id), TableUpdateMode.Replace, ct));
        await SubmitInChunksAsync(add.Select(c => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(id, CodeRowPrefix + c.Value))), cancellationToken);
        await Parallel.ForEachAsync(remove, parallel, async (code, ct) => await _table.DeleteEntityAsync(id, CodeRowPrefix + code.Value, ETag.All, ct));

        await Parallel.ForEachAsync(remove, parallel, async (code, ct) => await _index.DeleteEntityAsync(code.Value, id, ETag.All, ct));
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (!WebhookSubscription.IsWellFormedId(id))
        {
            return;
        }

        var rows = new List<string>();
        await foreach (var e in _table.QueryAsync<TableEntity>(e => e.PartitionKey == id, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            rows.Add(e.RowKey);
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };
        // Truth before index (as when removing codes), the subscription row last.
        await Parallel.ForEachAsync(rows.Where(r => r != SubscriptionRow), parallel, async (row, ct) => await _table.DeleteEntityAsync(id, row, ETag.All, ct));
        var codes = rows.Where(r => r.StartsWith(CodeRowPrefix, StringComparison.Ordinal)).Select(r => r[CodeRowPrefix.Length..]);
        await Parallel.ForEachAsync(codes, parallel, async (code, ct) => await _index.DeleteEntityAsync(code, id, ETag.All, ct));
        await _table.DeleteEntityAsync(id, SubscriptionRow, ETag.All, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> SubscriptionsOfAsync(CreditCode code, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var e in _index.QueryAsync<TableEntity>(e => e.PartitionKey == code.Value, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            ids.Add(e.RowKey);
        }

        return ids;
    }

    private async Task SubmitInChunksAsync(IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        foreach (var chunk in actions.Chunk(TransactionSize))
        {
            await _table.SubmitTransactionAsync(chunk, cancellationToken);
        }
    }

    private async Task<TableEntity> ToEntityAsync(WebhookSubscription s, string secret, CancellationToken cancellationToken) => new(s.Id, SubscriptionRow)
    {
        ["VerifierId"] = s.VerifierId,
        ["Url"] = s.Url,
        ["Events"] = string.Join(' ', s.Events),
        ["CreatedAt"] = s.CreatedAt,
        ["CodeCount"] = s.CodeCount,
        ["FailingSince"] = s.FailingSince,
        ["DisabledAt"] = s.DisabledAt,
        ["DisabledReason"] = s.DisabledReason,
        // The secret must be kept to sign with; it never leaves the service except in the answer that creates or rotates it,
        // and the table holds it only encrypted under a key kept elsewhere.
        ["Secret"] = await protector.ProtectAsync(secret, s.Id, cancellationToken),
    };

    private static WebhookSubscription FromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("VerifierId"),
        e.GetString("Url"),
        e.GetString("Events").Split(' ', StringSplitOptions.RemoveEmptyEntries),
        e.GetDateTimeOffset("CreatedAt") ?? default,
        e.GetInt32("CodeCount") ?? 0,
        e.GetDateTimeOffset("FailingSince"),
        e.GetDateTimeOffset("DisabledAt"),
        e.GetString("DisabledReason"));
}
