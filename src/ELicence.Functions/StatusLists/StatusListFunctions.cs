using ELicence.Functions.Composition;
using ELicence.Core.CreditCodes;
using ELicence.Core.StatusLists;
using ELicence.Storage;
using ELicence.Storage.StatusLists;

namespace ELicence.Functions.StatusLists;

/// <summary>The Bitstring Status Lists: served to anyone, kept in step by two queues and a sweep timer.</summary>
public sealed class StatusListFunctions(HttpApi<StatusListFunctions> api, StatusListService statusLists, StatusListOptions options, ICreditCodeExceptions codeExceptions, ILogger<StatusListFunctions> logger)
{
    [Function("GetStatusList")]
    [Endpoint(Access.Anyone, Cors = true)]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/status-lists/{purpose}/{list}")] HttpRequest req, string purpose, string list) =>
        api.RunAsync(req, async call =>
        {
            var published = await statusLists.GetPublishedAsync(purpose, list, call.Cancellation);
            call.CacheFor(options.TimeToLive);
            return ApiResults.Text(published, "application/vc+jwt");
        });

    /// <summary>
    /// The IETF Token Status List (draft-ietf-oauth-status-list): the current token, or with <c>?time=</c> (unix seconds) the
    /// version valid at that instant. A past version never changes, so it is cached for long.
    /// </summary>
    [Function("GetTokenStatusList")]
    [Endpoint(Access.Anyone, Cors = true)]
    public Task<IActionResult> GetToken([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/token-status-lists/{list}")] HttpRequest req, string list) =>
        api.RunAsync(req, async call =>
        {
            var time = call.Query("time");
            var token = await statusLists.GetTokenListAsync(list, time, call.Cancellation);
            call.CacheFor(time is null ? options.TimeToLive : TimeSpan.FromDays(1));
            return ApiResults.Text(token, TokenStatusLists.MediaType);
        });

    [Function("SyncStatusList")]
    public Task Sync([QueueTrigger(StorageNames.StatusSyncQueue)] string message, CancellationToken cancellationToken) =>
        statusLists.SyncAsync(StatusSyncMessage.TryParse(message, codeExceptions) ?? throw Malformed(StorageNames.StatusSyncQueue, message), cancellationToken);

    [Function("PublishStatusList")]
    public Task Publish([QueueTrigger(StorageNames.StatusPublishQueue)] string message, CancellationToken cancellationToken) =>
        statusLists.PublishAsync(StatusPublishMessage.TryParse(message) ?? throw Malformed(StorageNames.StatusPublishQueue, message), cancellationToken);

    /// <summary>Every minute: repairs a sync or publish that a crash interrupted.</summary>
    [Function("SweepStatusLists")]
    public Task Sweep([TimerTrigger("%Timers_SweepStatusLists%")] TimerInfo timer, CancellationToken cancellationToken) =>
        statusLists.SweepAsync(cancellationToken);

    private FormatException Malformed(string queue, string message) => MalformedMessages.Reject(logger, queue, message);
}
