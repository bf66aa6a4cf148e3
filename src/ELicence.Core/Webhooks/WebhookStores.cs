using System.Globalization;
using ELicence.Core.CreditCodes;

namespace ELicence.Core.Webhooks;

/// <summary>A verifier's subscription: where notifications go, for which events; the codes it covers are kept beside it.</summary>
public sealed record WebhookSubscription(
    string Id,
    string VerifierId,
    string Url,
    IReadOnlyList<string> Events,
    DateTimeOffset CreatedAt,
    int CodeCount,
    DateTimeOffset? FailingSince,
    DateTimeOffset? DisabledAt,
    string? DisabledReason)
{
    private const string IdPrefix = "whk_";

    public bool Disabled => DisabledAt is not null;

    public static string NewId() => ResourceIds.New(IdPrefix);

    public static bool IsWellFormedId(string? id) => ResourceIds.IsWellFormed(id, IdPrefix);
}

/// <summary>A subscription as read, with its signing secret and the version it was read at.</summary>
public sealed record StoredSubscription(WebhookSubscription Subscription, string Secret, string ETag);

/// <summary>
/// Subscriptions and the codes they cover. Codes are kept twice: in the subscription's own partition (what it covers, the
/// truth) and in an index by credit code, so that the subscribers of one licence are one partition query. The index is
/// written before and removed after the truth; a leftover index row is ignored because fan-out checks the truth.
/// </summary>
public interface IWebhookStore
{
    Task<bool> TryAddAsync(WebhookSubscription subscription, string secret, CancellationToken cancellationToken);

    Task<StoredSubscription?> FindAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<WebhookSubscription>> ListAsync(string verifierId, CancellationToken cancellationToken);

    /// <summary>Replaces the subscription if it is still as <paramref name="read"/>; false when it changed meanwhile.</summary>
    Task<bool> TryReplaceAsync(StoredSubscription read, WebhookSubscription updated, string secret, CancellationToken cancellationToken);

    Task<IReadOnlyCollection<CreditCode>> CodesAsync(string id, CancellationToken cancellationToken);

    Task<bool> CoversAsync(string id, CreditCode code, CancellationToken cancellationToken);

    /// <summary>Adds and removes codes (repeating a change changes nothing more). The caller has claimed the change by replacing the subscription row.</summary>
    Task ChangeCodesAsync(string id, IReadOnlyCollection<CreditCode> add, IReadOnlyCollection<CreditCode> remove, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the subscription's partition (codes, deliveries), then its index rows, then the subscription itself: a crash
    /// part-way leaves a subscription its verifier still sees and deletes again. Deleting a missing one changes nothing.
    /// </summary>
    Task DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>The subscriptions that may cover <paramref name="code"/> (from the index: check <see cref="CoversAsync"/>).</summary>
    Task<IReadOnlyList<string>> SubscriptionsOfAsync(CreditCode code, CancellationToken cancellationToken);
}

public enum WebhookDeliveryState
{
    Pending,
    Delivered,
    DeadLettered,
}

/// <summary>
/// One notification of one licence event to one subscription, with its retry state. Its message id (the
/// <c>webhook-id</c>) and body stay the same on every attempt and redelivery, so receivers de-duplicate.
/// </summary>
public sealed record WebhookDelivery(
    string SubscriptionId,
    CreditCode Code,
    int Sequence,
    string Event,
    string Payload,
    DateTimeOffset CreatedAt,
    WebhookDeliveryState State,
    int Attempts,
    DateTimeOffset RetryFrom,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? LastAttemptAt = null,
    int? LastStatus = null,
    string? LastError = null,
    DateTimeOffset? DeliveredAt = null)
{
    /// <summary>Names the delivery within its subscription: <c>{code}-{sequence}</c>.</summary>
    public string Id => string.Create(CultureInfo.InvariantCulture, $"{Code.Value}-{Sequence}");

    public string MessageId => string.Create(CultureInfo.InvariantCulture, $"msg_{SubscriptionId[4..]}_{Code.Value}_{Sequence}");
}

/// <summary>A delivery as read, with the version it was read at.</summary>
public sealed record StoredDelivery(WebhookDelivery Delivery, string ETag);

/// <summary>Deliveries, in their subscription's partition, ordered by code and sequence.</summary>
public interface IWebhookDeliveryStore
{
    /// <summary>Adds the delivery; false when it exists already (fan-out ran twice).</summary>
    Task<bool> TryAddAsync(WebhookDelivery delivery, CancellationToken cancellationToken);

    Task<StoredDelivery?> FindAsync(string subscriptionId, CreditCode code, int sequence, CancellationToken cancellationToken);

    Task<bool> TryReplaceAsync(StoredDelivery read, WebhookDelivery updated, CancellationToken cancellationToken);

    /// <summary>The first pending delivery of the same subscription and licence, in sequence order.</summary>
    Task<WebhookDelivery?> FirstPendingAsync(string subscriptionId, CreditCode code, CancellationToken cancellationToken);

    /// <summary>The subscription's most recent deliveries, newest first.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ListAsync(string subscriptionId, int max, CancellationToken cancellationToken);

    /// <summary>Pending deliveries whose next attempt is due at <paramref name="now"/>.</summary>
    Task<IReadOnlyList<WebhookDeliveryMessage>> DueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken);
}

/// <summary>The queue of delivery attempts (<c>webhook-deliveries</c>).</summary>
public interface IWebhookDeliveryQueue
{
    Task EnqueueAsync(WebhookDeliveryMessage message, CancellationToken cancellationToken);
}

/// <summary>The message of the delivery queue: try this delivery now, if it is due and first in line.</summary>
public sealed record WebhookDeliveryMessage(string SubscriptionId, string Code, int Sequence)
{
    public static WebhookDeliveryMessage Of(WebhookDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return new(delivery.SubscriptionId, delivery.Code.Value, delivery.Sequence);
    }

    /// <summary>The message, or null when it is not one (a malformed message is never retried into success).</summary>
    public static (WebhookDeliveryMessage Message, CreditCode Code)? TryParse(string message, ICreditCodeExceptions codeExceptions) =>
        QueueMessages.TryRead<WebhookDeliveryMessage>(message) is { Sequence: > 0 } m && WebhookSubscription.IsWellFormedId(m.SubscriptionId)
            && CreditCode.TryParse(m.Code, out var code, codeExceptions)
            ? (m, code.Value)
            : null;
}
