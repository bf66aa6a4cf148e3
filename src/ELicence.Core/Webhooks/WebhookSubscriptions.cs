using System.Globalization;
using ELicence.Core.Callers;
using ELicence.Core.CreditCodes;

namespace ELicence.Core.Webhooks;

/// <summary>What a verifier sends to subscribe.</summary>
public sealed record NewWebhookRequest(string? Url, IReadOnlyList<string>? Events, IReadOnlyList<string>? CreditCodes);

/// <summary>Codes to add to and remove from a subscription, in one request.</summary>
public sealed record WebhookCodesRequest(IReadOnlyList<string>? Add, IReadOnlyList<string>? Remove);

/// <summary>A subscription with its secret: the answer to creating it or rotating its secret, the only times the secret is shown.</summary>
public sealed record WebhookWithSecret(WebhookSubscription Subscription, string Secret);

/// <summary>Verifiers' subscriptions: each verifier sees and changes only its own (another's is "not found").</summary>
public sealed class WebhookSubscriptions(
    IWebhookStore store,
    IWebhookDeliveryStore deliveries,
    IWebhookDeliveryQueue queue,
    WebhookAddresses addresses,
    WebhookOptions options,
    ICreditCodeExceptions codeExceptions,
    TimeProvider time)
{
    public const int MaxCodes = 10_000;
    public const int MaxLoggedDeliveries = 100;
    private static readonly string[] EnableOnly = ["enable"];

    public async Task<WebhookWithSecret> CreateAsync(Caller caller, NewWebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<FieldError>();
        if (addresses.Refusal(request.Url) is { } refusal)
        {
            errors.Add(new FieldError("url", refusal));
        }

        var events = ParseEvents(errors, request.Events);
        var codes = ParseCodes(errors, "creditCodes", request.CreditCodes);
        ThrowIfAny(errors);
        EnsureWithinLimit(codes.Count);
        // Checked before adding: two creations at the same moment may both pass, so the cap can be passed by one at most per race.
        if ((await store.ListAsync(caller.Id, cancellationToken)).Count >= options.MaxSubscriptions)
        {
            throw new ProblemException(ProblemType.LimitReached, $"An organisation holds at most {options.MaxSubscriptions} subscriptions; delete one (DELETE /api/v1/webhooks/{{id}}) or add codes to an existing one.",
                extensions: new Dictionary<string, object?> { ["limit"] = options.MaxSubscriptions });
        }

        var subscription = new WebhookSubscription(WebhookSubscription.NewId(), caller.Id, request.Url!, events, time.GetUtcNow(), codes.Count, null, null, null);
        var secret = WebhookSignature.NewSecret();
        if (!await store.TryAddAsync(subscription, secret, cancellationToken))
        {
            throw new InvalidOperationException($"Subscription id {subscription.Id} collided.");
        }

        // The subscription exists before its codes: a crash in between leaves one covering fewer codes, which its verifier sees.
        await store.ChangeCodesAsync(subscription.Id, codes, [], cancellationToken);
        return new WebhookWithSecret(subscription, secret);
    }

    public async Task<IReadOnlyList<WebhookSubscription>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return await store.ListAsync(caller.Id, cancellationToken);
    }

    public async Task<WebhookSubscription> GetAsync(Caller caller, string id, CancellationToken cancellationToken) =>
        (await FindOwnAsync(caller, id, cancellationToken)).Subscription;

    public async Task<IReadOnlyCollection<CreditCode>> CodesAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        await FindOwnAsync(caller, id, cancellationToken);
        return await store.CodesAsync(id, cancellationToken);
    }

    /// <summary>Adds and removes codes; the total stays within <see cref="MaxCodes"/>. Two changes at once: the later is a 409.</summary>
    public async Task<WebhookSubscription> ChangeCodesAsync(Caller caller, string id, WebhookCodesRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<FieldError>();
        var add = ParseCodes(errors, "add", request.Add);
        var remove = ParseCodes(errors, "remove", request.Remove);
        if (add.Count == 0 && remove.Count == 0 && errors.Count == 0)
        {
            errors.Add(new FieldError("add", "Name at least one code to add or to remove."));
        }

        foreach (var both in add.Intersect(remove))
        {
            errors.Add(new FieldError("remove", $"{both.Value} is both added and removed."));
        }

        ThrowIfAny(errors);
        var read = await FindOwnAsync(caller, id, cancellationToken);
        var current = (await store.CodesAsync(id, cancellationToken)).ToHashSet();
        var toAdd = add.Where(c => !current.Contains(c)).ToList();
        var toRemove = remove.Where(current.Contains).ToList();
        var count = current.Count + toAdd.Count - toRemove.Count;
        EnsureWithinLimit(count);
        var updated = read.Subscription with { CodeCount = count };
        if (!await store.TryReplaceAsync(read, updated, read.Secret, cancellationToken))
        {
            throw Conflict(id);
        }

        await store.ChangeCodesAsync(id, toAdd, toRemove, cancellationToken);
        return updated;
    }

    /// <summary>A new secret, shown once; the old one stops signing at once.</summary>
    public Task<WebhookWithSecret> RotateSecretAsync(Caller caller, string id, CancellationToken cancellationToken) =>
        ReplaceAsync(caller, id, (s, _) => (s, WebhookSignature.NewSecret()), cancellationToken);

    /// <summary>Enables a disabled subscription again; its failure clock starts afresh.</summary>
    public async Task<WebhookSubscription> EnableAsync(Caller caller, string id, CancellationToken cancellationToken) =>
        (await ReplaceAsync(caller, id, (s, secret) => (s with { DisabledAt = null, DisabledReason = null, FailingSince = null }, secret), cancellationToken)).Subscription;

    /// <summary>
    /// Deletes the subscription with its codes and delivery log: no delivery is attempted after (a queued attempt finds
    /// nothing to deliver), and nothing the verifier set up stays behind.
    /// </summary>
    public async Task DeleteAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        await FindOwnAsync(caller, id, cancellationToken);
        await store.DeleteAsync(id, cancellationToken);
    }

    public async Task<IReadOnlyList<WebhookDelivery>> DeliveriesAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        await FindOwnAsync(caller, id, cancellationToken);
        return await deliveries.ListAsync(id, MaxLoggedDeliveries, cancellationToken);
    }

    /// <summary>
    /// Sends a delivery again (delivered or dead-lettered ones too), with the same message id and body and a fresh retry
    /// period. A disabled subscription is refused: enable it first.
    /// </summary>
    public async Task<WebhookDelivery> RedeliverAsync(Caller caller, string id, string deliveryId, CancellationToken cancellationToken)
    {
        var subscription = (await FindOwnAsync(caller, id, cancellationToken)).Subscription;
        var (code, sequence) = ParseDeliveryId(deliveryId);
        var read = await deliveries.FindAsync(id, code, sequence, cancellationToken)
            ?? throw ProblemException.NotFound($"Subscription {id} has no delivery '{deliveryId}'.");
        if (subscription.Disabled)
        {
            throw new ProblemException(ProblemType.InvalidTransition, $"Subscription {id} is disabled ({subscription.DisabledReason}); enable it first.",
                extensions: new Dictionary<string, object?> { ["currentStatus"] = "disabled", ["allowedActions"] = EnableOnly });
        }

        var now = time.GetUtcNow();
        var again = read.Delivery with { State = WebhookDeliveryState.Pending, RetryFrom = now, NextAttemptAt = now, Attempts = 0 };
        if (!await deliveries.TryReplaceAsync(read, again, cancellationToken))
        {
            throw Conflict(id);
        }

        await queue.EnqueueAsync(WebhookDeliveryMessage.Of(again), cancellationToken);
        return again;
    }

    private async Task<WebhookWithSecret> ReplaceAsync(Caller caller, string id, Func<WebhookSubscription, string, (WebhookSubscription, string)> change, CancellationToken cancellationToken)
    {
        var read = await FindOwnAsync(caller, id, cancellationToken);
        var (updated, secret) = change(read.Subscription, read.Secret);
        return await store.TryReplaceAsync(read, updated, secret, cancellationToken) ? new WebhookWithSecret(updated, secret) : throw Conflict(id);
    }

    private async Task<StoredSubscription> FindOwnAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var found = WebhookSubscription.IsWellFormedId(id) ? await store.FindAsync(id, cancellationToken) : null;
        // Another verifier's subscription does not exist for this caller: not even its id is confirmed.
        return found is not null && found.Subscription.VerifierId == caller.Id ? found : throw ProblemException.NotFound($"There is no subscription '{id}'.");
    }

    private (CreditCode Code, int Sequence) ParseDeliveryId(string deliveryId)
    {
        var dash = deliveryId.LastIndexOf('-');
        return dash > 0
            && CreditCode.TryParse(deliveryId[..dash], out var code, codeExceptions)
            && int.TryParse(deliveryId.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) && sequence > 0
            ? (code.Value, sequence)
            : throw ProblemException.NotFound($"There is no delivery '{deliveryId}'.");
    }

    private static string[] ParseEvents(List<FieldError> errors, IReadOnlyList<string>? events)
    {
        if (events is null || events.Count == 0)
        {
            errors.Add(new FieldError("events", $"Required: one or more of {string.Join(", ", WebhookEvents.All)}."));
            return [];
        }

        for (var i = 0; i < events.Count; i++)
        {
            if (!WebhookEvents.All.Contains(events[i]))
            {
                errors.Add(new FieldError(string.Create(CultureInfo.InvariantCulture, $"events[{i}]"), $"Not an event type; one of {string.Join(", ", WebhookEvents.All)}."));
            }
        }

        return [.. events.Distinct(StringComparer.Ordinal)];
    }

    private List<CreditCode> ParseCodes(List<FieldError> errors, string field, IReadOnlyList<string>? inputs)
    {
        var codes = new List<CreditCode>();
        if (inputs is null)
        {
            return codes;
        }

        if (inputs.Count > MaxCodes)
        {
            errors.Add(new FieldError(field, $"At most {MaxCodes} codes."));
            return codes;
        }

        for (var i = 0; i < inputs.Count && errors.Count < 20; i++)
        {
            var validation = CreditCode.Validate(inputs[i], codeExceptions);
            if (validation.IsValid)
            {
                codes.Add(validation.Code!.Value);
            }
            else
            {
                errors.Add(new FieldError(string.Create(CultureInfo.InvariantCulture, $"{field}[{i}]"), validation.Message));
            }
        }

        return [.. codes.Distinct()];
    }

    private static void ThrowIfAny(List<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw ProblemException.Invalid(errors);
        }
    }

    private static void EnsureWithinLimit(int count)
    {
        if (count > MaxCodes)
        {
            throw new ProblemException(ProblemType.LimitReached, $"A subscription covers at most {MaxCodes} credit codes; this change would make {count}.",
                extensions: new Dictionary<string, object?> { ["limit"] = MaxCodes });
        }
    }

    private static ProblemException Conflict(string id) =>
        new(ProblemType.Conflict, $"Subscription {id} was changed by another request at the same time; try again.");
}
