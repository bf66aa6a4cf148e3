namespace ELicence.Functions.Licences;

/// <summary>The life-cycle deadlines, driven by timers.</summary>
public sealed class LifecycleTimers(SimplifiedDeregistration deregistration, OperatingTermTimer operatingTerm)
{
    /// <summary>Every five minutes, so a notice that ended is decided long before its one-working-day deadline.</summary>
    [Function("FinaliseDeregistrations")]
    public Task Finalise([TimerTrigger("%Timers_FinaliseDeregistrations%")] TimerInfo timer, CancellationToken cancellationToken) =>
        deregistration.FinaliseDueAsync(cancellationToken);

    /// <summary>Daily at 00:05 China time (16:05 UTC): licences whose operating term ended yesterday become expired.</summary>
    [Function("ExpireLicences")]
    public Task Expire([TimerTrigger("%Timers_ExpireLicences%")] TimerInfo timer, CancellationToken cancellationToken) =>
        operatingTerm.ExpireEndedTermsAsync(cancellationToken);
}
