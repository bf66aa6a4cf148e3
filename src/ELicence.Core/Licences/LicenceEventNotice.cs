using ELicence.Core.CreditCodes;

namespace ELicence.Core.Licences;

/// One committed licence event (from the licence's history), handed to every subscriber at least once and, per
/// licence, in sequence order. A subscriber must be idempotent per (Code, Event.Sequence).
public sealed record LicenceEventNotice(CreditCode Code, LicenceEvent Event);

public interface ILicenceEventSubscriber
{
    /// <summary>Short name for logs.</summary>
    string Name { get; }

    Task HandleAsync(LicenceEventNotice notice, CancellationToken cancellationToken);
}
