using ELicence.Core.CreditCodes;
using ELicence.Core.Webhooks;
using ELicence.Functions.Composition;
using ELicence.Storage;

namespace ELicence.Functions.Webhooks;

/// <summary>Change notifications: a verifier manages its own subscriptions; a queue and a sweep timer deliver.</summary>
public sealed class WebhookFunctions(HttpApi<WebhookFunctions> api, WebhookSubscriptions subscriptions, WebhookDeliverer deliverer, ICreditCodeExceptions codeExceptions, ILogger<WebhookFunctions> logger)
{
    /// <summary>10,000 codes of 18 characters, quoted and separated, with room to spare.</summary>
    public const int MaxCodesBodyBytes = 512 * 1024;

    /// <summary>Subscribes a URL; the answer shows the signing secret, once.</summary>
    [Function("CreateWebhook")]
    [Endpoint(Access.Verifier, Cache = CachePolicy.NoStore, MaxBody = MaxCodesBodyBytes)]
    public Task<IActionResult> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/webhooks")] HttpRequest req) =>
        api.RunAsync(req, async call =>
        {
            var body = await call.ReadJsonAsync<NewWebhookRequest>();
            var created = await subscriptions.CreateAsync(call.Caller, body, call.Cancellation);
            return ApiResults.Json(WithSecret(created), StatusCodes.Status201Created, new Dictionary<string, string> { ["Location"] = $"/api/v1/webhooks/{created.Subscription.Id}" });
        });

    [Function("ListWebhooks")]
    [Endpoint(Access.Verifier)]
    public Task<IActionResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/webhooks")] HttpRequest req) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(new WebhookList([.. (await subscriptions.ListAsync(call.Caller, call.Cancellation)).Select(View)])));

    [Function("GetWebhook")]
    [Endpoint(Access.Verifier)]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/webhooks/{id}")] HttpRequest req, string id) =>
        api.RunAsync(req, async call => ApiResults.Json(View(await subscriptions.GetAsync(call.Caller, id, call.Cancellation))));

    [Function("ListWebhookCodes")]
    [Endpoint(Access.Verifier)]
    public Task<IActionResult> ListCodes([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/webhooks/{id}/codes")] HttpRequest req, string id) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(new WebhookCodes([.. (await subscriptions.CodesAsync(call.Caller, id, call.Cancellation)).Select(c => c.Value).Order(StringComparer.Ordinal)])));

    /// <summary>Adds and removes codes: <c>{"add": [...], "remove": [...]}</c>.</summary>
    [Function("ChangeWebhookCodes")]
    [Endpoint(Access.Verifier, MaxBody = MaxCodesBodyBytes)]
    public Task<IActionResult> ChangeCodes([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/webhooks/{id}/codes")] HttpRequest req, string id) =>
        api.RunAsync(req, async call =>
        {
            var body = await call.ReadJsonAsync<WebhookCodesRequest>();
            return ApiResults.Json(View(await subscriptions.ChangeCodesAsync(call.Caller, id, body, call.Cancellation)));
        });

    /// <summary>A new signing secret, shown once; the old one stops signing at once.</summary>
    [Function("RotateWebhookSecret")]
    [Endpoint(Access.Verifier, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> RotateSecret([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/webhooks/{id}/secret")] HttpRequest req, string id) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(WithSecret(await subscriptions.RotateSecretAsync(call.Caller, id, call.Cancellation))));

    [Function("EnableWebhook")]
    [Endpoint(Access.Verifier)]
    public Task<IActionResult> Enable([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/webhooks/{id}/enable")] HttpRequest req, string id) =>
        api.RunAsync(req, async call => ApiResults.Json(View(await subscriptions.EnableAsync(call.Caller, id, call.Cancellation))));

    /// <summary>The delivery log: the most recent deliveries, each with its state, attempts and last answer (at most 1 KiB).</summary>
    [Function("ListWebhookDeliveries")]
    [Endpoint(Access.Verifier)]
    public Task<IActionResult> Deliveries([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/webhooks/{id}/deliveries")] HttpRequest req, string id) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(new WebhookDeliveryList([.. (await subscriptions.DeliveriesAsync(call.Caller, id, call.Cancellation)).Select(View)])));

    [Function("RedeliverWebhook")]
    [Endpoint(Access.Verifier)]
    public Task<IActionResult> Redeliver([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/webhooks/{id}/deliveries/{deliveryId}/redelivery")] HttpRequest req, string id, string deliveryId) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(View(await subscriptions.RedeliverAsync(call.Caller, id, deliveryId, call.Cancellation)), StatusCodes.Status202Accepted));

    [Function("DeliverWebhook")]
    public Task Deliver([QueueTrigger(StorageNames.WebhookDeliveryQueue)] string message, CancellationToken cancellationToken)
    {
        var (parsed, code) = WebhookDeliveryMessage.TryParse(message, codeExceptions) ?? throw MalformedMessages.Reject(logger, StorageNames.WebhookDeliveryQueue, message);
        return deliverer.DeliverAsync(parsed.SubscriptionId, code, parsed.Sequence, cancellationToken);
    }

    /// <summary>Every minute: queues the deliveries whose next attempt is due (retries, and any a crash left behind).</summary>
    [Function("SweepWebhookDeliveries")]
    public Task Sweep([TimerTrigger("%Timers_SweepWebhookDeliveries%")] TimerInfo timer, CancellationToken cancellationToken) => deliverer.SweepAsync(cancellationToken);

    private static WebhookView View(WebhookSubscription s) => new(
        s.Id, s.Url, s.Events, s.CodeCount, s.Disabled ? "disabled" : "active", s.CreatedAt, s.FailingSince, s.DisabledAt, s.DisabledReason);

    private static WebhookWithSecretView WithSecret(WebhookWithSecret w) => new(View(w.Subscription), w.Secret);

    private static WebhookDeliveryView View(WebhookDelivery d) => new(
        d.Id,
        d.MessageId,
        d.Code.Value,
        d.Sequence,
        d.Event,
        d.State,
        d.Attempts,
        d.CreatedAt,
        d.State == WebhookDeliveryState.Pending ? d.NextAttemptAt : null,
        d.LastAttemptAt,
        d.LastStatus,
        d.LastResponse,
        d.LastError,
        d.DeliveredAt);
}

public sealed record WebhookView(
    string Id, string Url, IReadOnlyList<string> Events, int CreditCodeCount, string Status, DateTimeOffset CreatedAt, DateTimeOffset? FailingSince, DateTimeOffset? DisabledAt, string? DisabledReason);

/// <summary>A subscription with its signing secret, shown once.</summary>
public sealed record WebhookWithSecretView(WebhookView Webhook, string Secret);

public sealed record WebhookDeliveryView(
    string Id,
    string MessageId,
    string CreditCode,
    int Sequence,
    string Event,
    WebhookDeliveryState State,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LastAttemptAt,
    int? LastStatus,
    string? LastResponse,
    string? LastError,
    DateTimeOffset? DeliveredAt);

public sealed record WebhookList(IReadOnlyList<WebhookView> Webhooks);

public sealed record WebhookCodes(IReadOnlyList<string> CreditCodes);

public sealed record WebhookDeliveryList(IReadOnlyList<WebhookDeliveryView> Deliveries);
