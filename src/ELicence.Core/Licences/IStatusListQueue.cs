using ELicence.Core.CreditCodes;

namespace ELicence.Core.Licences;

/// <summary>Work for the status list: bring a licence's entries up to date, and republish a list (debounced).</summary>
public interface IStatusListQueue
{
    Task EnqueueSyncAsync(CreditCode code, CancellationToken cancellationToken);

    Task EnqueuePublishAsync(int listNumber, TimeSpan delay, CancellationToken cancellationToken);
}
