using ELicence.Core.CreditCodes;
using ELicence.Functions.Composition;
using ELicence.Storage;

namespace ELicence.Functions.Licences;

/// <summary>The relay of the licence-event outbox: a queue nudged by every commit, and a sweep for nudges that were lost.</summary>
public sealed class LicenceEventFunctions(LicenceEventDispatcher dispatcher, ICreditCodeExceptions codeExceptions, ILogger<LicenceEventFunctions> logger)
{
    [Function("DispatchLicenceEvents")]
    public Task Dispatch([QueueTrigger(StorageNames.LicenceEventsQueue)] string message, CancellationToken cancellationToken) =>
        dispatcher.DispatchAsync(LicenceEventsMessage.TryParse(message, codeExceptions) ?? throw MalformedMessages.Reject(logger, StorageNames.LicenceEventsQueue, message), cancellationToken);

    /// <summary>Every minute: re-sends licences whose events are still pending (a crash between commit and nudge, or a subscriber that failed).</summary>
    [Function("SweepLicenceEvents")]
    public Task Sweep([TimerTrigger("%Timers_SweepLicenceEvents%")] TimerInfo timer, CancellationToken cancellationToken) =>
        dispatcher.SweepAsync(cancellationToken);
}
