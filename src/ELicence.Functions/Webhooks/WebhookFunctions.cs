using ELicence.Core.CreditCodes;
using ELicence.Core.Webhooks;
using ELicence.Functions.Composition;
using ELicence.Storage;

namespace ELicence.Functions.Webhooks;

/// <summary>Change notifications: a verifier manages its own subscriptions; a queue and a sweep timer deliver.</summary>
public sealed class WebhookFunctions(HttpApi api, WebhookSubscriptions subscriptions, WebhookDeliverer deliverer, ICreditCodeExceptions codeExceptions, ILogger<WebhookFunctions> logger)
{
    /// <summary>10,000 codes of 18 characters, quoted and separated, with room to spare.</summary>
    public const int MaxCodesBodyBytes = 512 * 1024;

    private static readonly Dictionary<string, string> NoStore = new() { ["Cache-Control"] = "no-store" };

    /// <summary>Subscribes a URL; the answer shows the signing secret, once.</summary>
    [Function("CreateWebhook")]
    public Task<IActionResult> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/webhooks")] HttpRequest req) =>
        api.RunAsync(req, Access.Verifier, async caller =>
        {
            var body = await HttpApi.ReadJsonAsync<NewWebhookRequest>(req, MaxCodesBodyBytes);
            var created = await subscriptions.CreateAsync(caller, body, req.HttpContext.RequestAborted);
            return ApiResults.Json(WithSecret(created), StatusCodes.Status201Created, new Dictionary<string, string>(NoStore) { ["Location"] = $"/api/v1/webhooks/{created.Subscription.Id}" });
        });

    [Function("ListWebhooks")]
    public Task<IActionResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/webhooks")] HttpRequest req) =>
        api.RunAsync(req, Access.Verifier, async caller =>
            ApiResults.Json(new { webhooks = (await subscriptions.ListAsync(caller, req.HttpContext.RequestAborted)).Select(View) }));

    [Function("GetWebhook")]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/webhooks/{id}")] HttpRequest req, string id) =>
        api.RunAsync(req, Access.Verifier, async caller => ApiResults.Json(View(await subscriptions.GetAsync(caller, id, req.HttpContext.RequestAborted))));

    /// <summary>Deletes the subscription, its codes and its delivery log; pending deliveries stop.</summary>
    [Function("DeleteWebhook")]
    public Task<IActionResult> Delete([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v1/webhooks/{id}")] HttpRequest req, string id) =>
        api.RunAsync(req, Access.Verifier, async caller =>
        {
            await subscriptions.DeleteAsync(caller, id, req.HttpContext.RequestAborted);
            return new NoContentResult();
        });

    [Function("ListWebhookCodes")]
    public Task<IActionResult> ListCodes([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/webhooks/{id}/codes")] HttpRequest req, string id) =>
        api.RunAsync(req, Access.Verifier, async caller =>
            ApiResults.Json(new { creditCodes = (await subscriptions.CodesAsync(caller, id, req.HttpContext.RequestAborted)).Select(c => c.Value).Order(StringComparer.Ordinal) }));

    /// <summary>Adds and removes codes: <c>{"add": [...], "remove": [...]}</c>.</summary>
    [Function("ChangeWebhookCodes")]
    public Task<IActionResult> ChangeCodes([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/webhooks/{id}/codes")] HttpRequest req, string id) =>
        api.RunAsync(req, Access.Verifier, async caller =>
        {
            var body = await HttpApi.ReadJsonAsync<WebhookCodesRequest>(req, MaxCodesBodyBytes);
            return ApiResults.Json(View(await subscriptions.ChangeCodesAsync(caller, id, body, req.HttpContext.RequestAborted)));
        });

    /// <summary>A new signing secret, shown once; the old one stops signing at once.</summary>
    [Function("RotateWebhookSecret")]
    public Task<IActionResult> RotateSecret([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/webhooks/{id}/secret")] HttpRequest req, string id) =>
        api.RunAsync(req, Access.Verifier, async caller =>
            ApiResults.Json(WithSecret(await subscriptions.RotateSecretAsync(caller, id, req.HttpContext.RequestAborted)), StatusCodes.Status200OK, NoStore));

    [Function("EnableWebhook")]
    public Task<IActionResult> Enable([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/webhooks/{id}/enable")] HttpRequest req, string id) =>
        api.RunAsync(req, Access.Verifier, async caller => ApiResults.Json(View(await subscriptions.EnableAsync(caller, id, req.HttpContext.RequestAborted))));

    /// <summary>The delivery log: the most recent deliveries, each with its state, attempts, last status and a short reason (never the receiver's body).</summary>
    [Function("ListWebhookDeliveries")]
    public Task<IActionResult> Deliveries([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/webhooks/{id}/deliveries")] HttpRequest req, string id) =>
        api.RunAsync(req, Access.Verifier, async caller =>
            ApiResults.Json(new { deliveries = (await subscriptions.DeliveriesAsync(caller, id, req.HttpContext.RequestAborted)).Select(View) }));

    [Function("RedeliverWebhook")]
    public Task<IActionResult> Redeliver([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/webhooks/{id}/deliveries/{deliveryId}/redelivery")] HttpRequest req, string id, string deliveryId) =>
        api.RunAsync(req, Access.Verifier, async caller =>
            ApiResults.Json(View(await subscriptions.RedeliverAsync(caller, id, deliveryId, req.HttpContext.RequestAborted)), StatusCodes.Status202Accepted));

    [Function("DeliverWebhook")]
    public Task Deliver([QueueTrigger(StorageNames.WebhookDeliveryQueue)] string message, CancellationToken cancellationToken)
    {
        var (parsed, code) = WebhookDeliveryMessage.TryParse(message, codeExceptions) ?? throw MalformedMessages.Reject(logger, StorageNames.WebhookDeliveryQueue, message);
        return deliverer.DeliverAsync(parsed.SubscriptionId, code, parsed.Sequence, cancellationToken);
    }

    /// <summary>Every minute: queues the deliveries whose next attempt is due (retries, and any a crash left behind).</summary>
    [Function("SweepWebhookDeliveries")]
    public Task Sweep([TimerTrigger("0 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) => deliverer.SweepAsync(cancellationToken);

    private static object View(WebhookSubscription s) => new
    {
        s.Id,
        s.Url,
        s.Events,
        creditCodeCount = s.CodeCount,
        status = s.Disabled ? "disabled" : "active",
        s.CreatedAt,
        s.FailingSince,
        s.DisabledAt,
        s.DisabledReason,
    };

    private static object WithSecret(WebhookWithSecret w) => new { webhook = View(w.Subscription), secret = w.Secret };

    private static object View(WebhookDelivery d) => new
    {
        d.Id,
        d.MessageId,
        creditCode = d.Code.Value,
        d.Sequence,
        d.Event,
        d.State,
        d.Attempts,
        d.CreatedAt,
        nextAttemptAt = d.State == WebhookDeliveryState.Pending ? d.NextAttemptAt : (DateTimeOffset?)null,
        d.LastAttemptAt,
        d.LastStatus,
        d.LastError,
        d.DeliveredAt,
    };
}
