using ELicence.Core.Webhooks;

namespace ELicence.Storage.Webhooks;

/// <summary>
/// Deliveries in their subscription's partition of table <c>webhooks</c>, row <c>delivery-{code}-{sequence:D10}</c>: one
/// licence's deliveries to one subscription are a range in sequence order.
/// </summary>
public sealed class WebhookDeliveryStore(StorageClients storage) : IWebhookDeliveryStore
{
    private const string RowPrefix = "delivery-";
    private const string RowEnd = "delivery.";
    private readonly TableClient _table = storage.Table(StorageNames.WebhooksTable);

    public Task<bool> TryAddAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return _table.TryAddAsync(ToEntity(delivery), cancellationToken);
    }

    public async Task<StoredDelivery?> FindAsync(string subscriptionId, CreditCode code, int sequence, CancellationToken cancellationToken) =>
        WebhookSubscription.IsWellFormedId(subscriptionId) && await _table.FindAsync<TableEntity>(subscriptionId, RowKey(code, sequence), cancellationToken) is { } e
            ? new StoredDelivery(FromEntity(e), e.ETag.ToString())
            : null;

    public Task<bool> TryReplaceAsync(StoredDelivery read, WebhookDelivery updated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(updated);
        return _table.TryReplaceAsync(ToEntity(updated), new ETag(read.ETag), cancellationToken);
    }

    public async Task<WebhookDelivery?> FirstPendingAsync(string subscriptionId, CreditCode code, CancellationToken cancellationToken)
    {
        var from = $"{RowPrefix}{code.Value}-";
        var to = $"{RowPrefix}{code.Value}.";
        var pending = nameof(WebhookDeliveryState.Pending);
        await foreach (var e in _table.QueryAsync<TableEntity>(
            e => e.PartitionKey == subscriptionId && e.RowKey.CompareTo(from) > 0 && e.RowKey.CompareTo(to) < 0 && e.GetString("State") == pending,
            cancellationToken: cancellationToken))
        {
            return FromEntity(e);
        }

        return null;
    }

    public async Task<IReadOnlyList<WebhookDelivery>> ListAsync(string subscriptionId, int max, CancellationToken cancellationToken)
    {
        var all = new List<WebhookDelivery>();
        await foreach (var e in _table.QueryAsync<TableEntity>(
            e => e.PartitionKey == subscriptionId && e.RowKey.CompareTo(RowPrefix) > 0 && e.RowKey.CompareTo(RowEnd) < 0, cancellationToken: cancellationToken))
        {
            all.Add(FromEntity(e));
        }

        return [.. all.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Sequence).Take(max)];
    }

    /// <remarks>A filtered scan of the table's pending deliveries: fine while they number thousands; a due-time index table is the next step.</remarks>
    public async Task<IReadOnlyList<WebhookDeliveryMessage>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var due = new List<WebhookDeliveryMessage>();
        var pending = nameof(WebhookDeliveryState.Pending);
        // A formatted filter: the LINQ translation does not take a comparison of a nullable date.
        var filter = TableClient.CreateQueryFilter($"RowKey gt {RowPrefix} and RowKey lt {RowEnd} and State eq {pending} and NextAttemptAt le {now}");
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "Code", "Sequence"], cancellationToken: cancellationToken))
        {
            due.Add(new WebhookDeliveryMessage(e.PartitionKey, e.GetString("Code"), e.GetInt32("Sequence") ?? 0));
            if (due.Count == max)
            {
                break;
            }
        }

        return due;
    }

    private static string RowKey(CreditCode code, int sequence) => string.Create(CultureInfo.InvariantCulture, $"{RowPrefix}{code.Value}-{sequence:D10}");

    private static TableEntity ToEntity(WebhookDelivery d) => new(d.SubscriptionId, RowKey(d.Code, d.Sequence))
    {
        ["Code"] = d.Code.Value,
        ["Sequence"] = d.Sequence,
        ["Event"] = d.Event,
        ["Payload"] = d.Payload,
        ["CreatedAt"] = d.CreatedAt,
        ["State"] = d.State.ToString(),
        ["Attempts"] = d.Attempts,
        ["RetryFrom"] = d.RetryFrom,
        ["NextAttemptAt"] = d.NextAttemptAt,
        ["LastAttemptAt"] = d.LastAttemptAt,
        ["LastStatus"] = d.LastStatus,
        ["LastError"] = d.LastError,
        ["DeliveredAt"] = d.DeliveredAt,
    };

    private static WebhookDelivery FromEntity(TableEntity e) => new(
        e.PartitionKey,
        CreditCode.FromStored(e.GetString("Code")),
        e.GetInt32("Sequence") ?? 0,
        e.GetString("Event"),
        e.GetString("Payload"),
        e.GetDateTimeOffset("CreatedAt") ?? default,
        Enum.Parse<WebhookDeliveryState>(e.GetString("State")),
        e.GetInt32("Attempts") ?? 0,
        e.GetDateTimeOffset("RetryFrom") ?? default,
        e.GetDateTimeOffset("NextAttemptAt") ?? default,
        e.GetDateTimeOffset("LastAttemptAt"),
        e.GetInt32("LastStatus"),
        e.GetString("LastError"),
        e.GetDateTimeOffset("DeliveredAt"));
}

/// <summary>The <c>webhook-deliveries</c> queue.</summary>
public sealed class WebhookDeliveryQueue(StorageClients storage) : IWebhookDeliveryQueue
{
    public Task EnqueueAsync(WebhookDeliveryMessage message, CancellationToken cancellationToken) =>
        storage.Queue(StorageNames.WebhookDeliveryQueue).SendMessageAsync(ElicenceJson.Serialize(message), cancellationToken);
}
