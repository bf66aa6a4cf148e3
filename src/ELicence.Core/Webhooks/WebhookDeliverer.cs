using System.Globalization;
using ELicence.Core.CreditCodes;

namespace ELicence.Core.Webhooks;

/// <summary>
/// Attempts deliveries: one licence's deliveries to one subscription strictly in sequence order; failures retried with
/// exponential backoff and jitter for <see cref="WebhookOptions.RetryFor"/>, then dead-lettered; a subscription failing
/// for <see cref="WebhookOptions.DisableAfter"/> disabled. A sweep picks up what is due, so retries follow the injected clock.
/// </summary>
public sealed class WebhookDeliverer(
    IWebhookStore store,
    IWebhookDeliveryStore deliveries,
    IWebhookDeliveryQueue queue,
    IWebhookSender sender,
    WebhookOptions options,
    TimeProvider time)
{
    /// <summary>A claimed attempt is not claimed again for this long (longer than any attempt takes); after a crash it is retried.</summary>
    public static readonly TimeSpan AttemptLease = TimeSpan.FromMinutes(2);

    private const int SweepBatch = 500;

    /// <summary>Attempts the delivery if it is pending, due and first in line; otherwise does nothing (a later sweep or its predecessor brings it back).</summary>
    public async Task DeliverAsync(string subscriptionId, CreditCode code, int sequence, CancellationToken cancellationToken)
    {
        var read = await deliveries.FindAsync(subscriptionId, code, sequence, cancellationToken);
        var now = time.GetUtcNow();
        if (read is null || read.Delivery.State != WebhookDeliveryState.Pending || read.Delivery.NextAttemptAt > now)
        {
            return;
        }

        if (await deliveries.FirstPendingAsync(subscriptionId, code, cancellationToken) is { } first && first.Sequence < sequence)
        {
            return; // an earlier event of this licence goes first; its outcome enqueues this one
        }

        var subscription = await store.FindAsync(subscriptionId, cancellationToken);
        if (subscription is null || subscription.Subscription.Disabled)
        {
            var reason = subscription is null ? "The subscription no longer exists." : $"The subscription is disabled: {subscription.Subscription.DisabledReason}";
            await FinishAsync(read, read.Delivery with { State = WebhookDeliveryState.DeadLettered, LastError = reason }, cancellationToken);
            return;
        }

        // Claim the attempt: a second message for the same delivery finds it leased and leaves it.
        var claimed = read.Delivery with { NextAttemptAt = now + AttemptLease };
        if (!await deliveries.TryReplaceAsync(read, claimed, cancellationToken))
        {
            return;
        }

        read = await deliveries.FindAsync(subscriptionId, code, sequence, cancellationToken) ?? throw new InvalidOperationException("A claimed delivery vanished.");
        var attempt = await sender.SendAsync(
            new Uri(subscription.Subscription.Url),
            WebhookSignature.Headers(subscription.Secret, read.Delivery.MessageId, now, read.Delivery.Payload),
            read.Delivery.Payload,
            cancellationToken);
        var after = time.GetUtcNow();
        var tried = claimed with
        {
            Attempts = claimed.Attempts + 1,
            LastAttemptAt = after,
            LastStatus = attempt.Status,
            LastError = attempt.Succeeded ? null : attempt.Error ?? string.Create(CultureInfo.InvariantCulture, $"The receiver answered {attempt.Status}."),
        };
        WebhookDelivery outcome;
        if (attempt.Succeeded)
        {
            outcome = tried with { State = WebhookDeliveryState.Delivered, DeliveredAt = after };
        }
        else if (after - tried.RetryFrom >= options.RetryFor)
        {
            outcome = tried with { State = WebhookDeliveryState.DeadLettered };
        }
        else
        {
            outcome = tried with { NextAttemptAt = after + options.Backoff(tried.Attempts, Random.Shared.NextDouble()) };
        }

        await RecordHealthAsync(subscriptionId, attempt, after, cancellationToken);
        await FinishAsync(read, outcome, cancellationToken);
    }

    /// <summary>Queues every pending delivery whose next attempt is due (run by a timer every minute).</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        foreach (var due in await deliveries.DueAsync(time.GetUtcNow(), SweepBatch, cancellationToken))
        {
            await queue.EnqueueAsync(due, cancellationToken);
        }
    }

    /// <summary>Writes the delivery's new state; once it left the pending state, the licence's next delivery is queued.</summary>
    private async Task FinishAsync(StoredDelivery read, WebhookDelivery outcome, CancellationToken cancellationToken)
    {
        if (!await deliveries.TryReplaceAsync(read, outcome, cancellationToken))
        {
            return; // a redelivery request changed it meanwhile: that one wins
        }

        if (outcome.State != WebhookDeliveryState.Pending
            && await deliveries.FirstPendingAsync(outcome.SubscriptionId, outcome.Code, cancellationToken) is { } next)
        {
            await queue.EnqueueAsync(WebhookDeliveryMessage.Of(next), cancellationToken);
        }
    }

    /// <summary>Success clears the failure clock; failure starts it or, once it ran for <see cref="WebhookOptions.DisableAfter"/>, disables the subscription.</summary>
    private async Task RecordHealthAsync(string subscriptionId, WebhookAttempt attempt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        for (var tries = 0; tries < 3; tries++)
        {
            var read = await store.FindAsync(subscriptionId, cancellationToken);
            if (read is null)
            {
                return;
            }

            var s = read.Subscription;
            var updated = attempt.Succeeded
                ? s with { FailingSince = null }
                : s.FailingSince is null
                    ? s with { FailingSince = now }
                    : now - s.FailingSince.Value >= options.DisableAfter && !s.Disabled
                        ? s with
                        {
                            DisabledAt = now,
                            DisabledReason = string.Create(CultureInfo.InvariantCulture, $"every delivery failed from {s.FailingSince.Value:yyyy-MM-ddTHH:mm:ssZ} to {now:yyyy-MM-ddTHH:mm:ssZ} (last: {attempt.Error ?? attempt.Status?.ToString(CultureInfo.InvariantCulture)})"),
                        }
                        : s;
            if (updated == s || await store.TryReplaceAsync(read, updated, read.Secret, cancellationToken))
            {
                return;
            }
        }
    }
}
