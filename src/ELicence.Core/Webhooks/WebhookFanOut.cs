using ELicence.Core.Licences;

namespace ELicence.Core.Webhooks;

/// <summary>The body of a notification (Standard Webhooks' <c>type</c>, <c>timestamp</c>, <c>data</c>): what happened, not the licence.</summary>
public sealed record WebhookPayload(string Type, DateTimeOffset Timestamp, WebhookPayloadData Data);

/// <summary>
/// The licence's code, the event, its per-licence sequence number (receivers order and de-duplicate by it), the licence
/// history event it stands for, the status after it and a link to the public verification page.
/// </summary>
public sealed record WebhookPayloadData(string CreditCode, string Event, int Sequence, string LicenceEvent, string Status, string Link);

/// <summary>
/// Turns each committed licence event into one delivery per subscription that covers the licence and wants the event:
/// a row added if absent (so a repeated notice adds nothing) and a queue message (repeated harmlessly).
/// </summary>
public sealed class WebhookFanOut(IWebhookStore store, IWebhookDeliveryStore deliveries, IWebhookDeliveryQueue queue, PublicPageOptions page, TimeProvider time) : ILicenceEventSubscriber
{
    public string Name => "webhooks";

    public async Task HandleAsync(LicenceEventNotice notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (WebhookEvents.Of(notice.Event.Type) is not { } type)
        {
            return;
        }

        var payload = ElicenceJson.Serialize(new WebhookPayload(type, notice.Event.At, new WebhookPayloadData(
            notice.Code.Value,
            type,
            notice.Event.Sequence,
            notice.Event.Type,
            ElicenceJson.Serialize(notice.Event.StatusAfter).Trim('"'),
            page.PageUrl(notice.Code))));
        foreach (var id in await store.SubscriptionsOfAsync(notice.Code, cancellationToken))
        {
            var subscription = (await store.FindAsync(id, cancellationToken))?.Subscription;
            if (subscription is null || subscription.Disabled || !subscription.Events.Contains(type) || !await store.CoversAsync(id, notice.Code, cancellationToken))
            {
                continue;
            }

            var now = time.GetUtcNow();
            var delivery = new WebhookDelivery(id, notice.Code, notice.Event.Sequence, type, payload, now, WebhookDeliveryState.Pending, 0, now, now);
            await deliveries.TryAddAsync(delivery, cancellationToken);
            await queue.EnqueueAsync(WebhookDeliveryMessage.Of(delivery), cancellationToken);
        }
    }
}
