using ELicence.Storage.Receipts;

namespace ELicence.Functions.Verification;

/// <summary>The receipt journal's sweep: rows a kick did not relay (a failure, or an instance that crashed) are relayed here.</summary>
public sealed class ReceiptRelayFunctions(ReceiptRelay relay)
{
    /// <summary>Every five seconds: relays the journal rows of minutes closed for longer than the skew margin, from the watermark on.</summary>
    [Function("RelayReceipts")]
    public Task Relay([TimerTrigger("%Timers_RelayReceipts%")] TimerInfo timer, CancellationToken cancellationToken) =>
        relay.SweepAsync(cancellationToken);
}
