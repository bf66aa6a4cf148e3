using ELicence.Functions.Composition;
using System.Globalization;
using ELicence.Core.CreditCodes;
using ELicence.Core.StatusLists;
using ELicence.Storage;
using ELicence.Storage.StatusLists;

namespace ELicence.Functions.StatusLists;

/// <summary>The Bitstring Status Lists: served to anyone, kept in step by two queues and a sweep timer.</summary>
public sealed class StatusListFunctions(HttpApi api, StatusListService statusLists, StatusListOptions options, ICreditCodeExceptions codeExceptions, ILogger<StatusListFunctions> logger)
{
    [Function("GetStatusList")]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/status-lists/{purpose}/{list}")] HttpRequest req, string purpose, string list) =>
        api.RunAnonymousAsync(req, async () => ApiResults.Text(
            await statusLists.GetPublishedAsync(purpose, list, req.HttpContext.RequestAborted),
            "application/vc+jwt",
            new Dictionary<string, string>
            {
                ["Cache-Control"] = string.Create(CultureInfo.InvariantCulture, $"public, max-age={(int)options.TimeToLive.TotalSeconds}"),
                ["Access-Control-Allow-Origin"] = "*",
            }));

    /// <summary>
    /// The IETF Token Status List (draft-ietf-oauth-status-list): the current token, or with <c>?time=</c> (unix seconds) the
    /// version valid at that instant. A past version never changes, so it is cached for long.
    /// </summary>
    [Function("GetTokenStatusList")]
    public Task<IActionResult> GetToken([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/token-status-lists/{list}")] HttpRequest req, string list) =>
        api.RunAnonymousAsync(req, async () =>
        {
            var time = req.Query.ContainsKey("time") ? req.Query["time"].ToString() : null;
            var maxAge = time is null ? (int)options.TimeToLive.TotalSeconds : 86400;
            return ApiResults.Text(
                await statusLists.GetTokenListAsync(list, time, req.HttpContext.RequestAborted),
                TokenStatusLists.MediaType,
                new Dictionary<string, string>
                {
                    ["Cache-Control"] = string.Create(CultureInfo.InvariantCulture, $"public, max-age={maxAge}"),
                    ["Access-Control-Allow-Origin"] = "*",
                });
        });

    [Function("SyncStatusList")]
    public Task Sync([QueueTrigger(StorageNames.StatusSyncQueue)] string message, CancellationToken cancellationToken) =>
        statusLists.SyncAsync(StatusSyncMessage.TryParse(message, codeExceptions) ?? throw Malformed(StorageNames.StatusSyncQueue, message), cancellationToken);

    [Function("PublishStatusList")]
    public Task Publish([QueueTrigger(StorageNames.StatusPublishQueue)] string message, CancellationToken cancellationToken) =>
        statusLists.PublishAsync(StatusPublishMessage.TryParse(message) ?? throw Malformed(StorageNames.StatusPublishQueue, message), cancellationToken);

    /// <summary>Every minute: repairs a sync or publish that a crash interrupted.</summary>
    [Function("SweepStatusLists")]
    public Task Sweep([TimerTrigger("0 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        statusLists.SweepAsync(cancellationToken);

    private FormatException Malformed(string queue, string message) => MalformedMessages.Reject(logger, queue, message);
}
