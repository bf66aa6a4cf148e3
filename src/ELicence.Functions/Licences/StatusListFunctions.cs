using System.Globalization;
using ELicence.Core.CreditCodes;
using ELicence.Core.Licences;
using ELicence.Core.Serialization;
using ELicence.Core.StatusLists;
using ELicence.Functions.Http;
using ELicence.Storage;
using ELicence.Storage.StatusLists;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ELicence.Functions.Licences;

/// <summary>The Bitstring Status Lists: served to anyone, kept in step by two queues and a sweep timer.</summary>
public sealed class StatusListFunctions(HttpApi api, StatusListService statusLists, StatusListOptions options, ICreditCodeExceptions codeExceptions)
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

    [Function("SyncStatusList")]
    public Task Sync([QueueTrigger(StorageNames.StatusSyncQueue)] string message, CancellationToken cancellationToken) =>
        statusLists.SyncAsync(CreditCode.Parse(ElicenceJson.Deserialize<StatusSyncMessage>(message)!.Code, codeExceptions), cancellationToken);

    [Function("PublishStatusList")]
    public Task Publish([QueueTrigger(StorageNames.StatusPublishQueue)] string message, CancellationToken cancellationToken) =>
        statusLists.PublishAsync(ElicenceJson.Deserialize<StatusPublishMessage>(message)!.ListNumber, cancellationToken);

    /// <summary>Every minute: repairs a sync or publish that a crash interrupted.</summary>
    [Function("SweepStatusLists")]
    public Task Sweep([TimerTrigger("0 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        statusLists.SweepAsync(cancellationToken);
}

/// <summary>The life-cycle deadlines, driven by timers.</summary>
public sealed class LifecycleTimers(SimplifiedDeregistration deregistration, OperatingTermTimer operatingTerm)
{
    /// <summary>Every five minutes, so a notice that ended is decided long before its one-working-day deadline.</summary>
    [Function("FinaliseDeregistrations")]
    public Task Finalise([TimerTrigger("0 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        deregistration.FinaliseDueAsync(cancellationToken);

    /// <summary>Daily at 00:05 China time (16:05 UTC): licences whose operating term ended yesterday become expired.</summary>
    [Function("ExpireLicences")]
    public Task Expire([TimerTrigger("0 5 16 * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        operatingTerm.ExpireEndedTermsAsync(cancellationToken);
}
