using ELicence.Core.CreditCodes;

namespace ELicence.Core.StatusLists;

/// <summary>Work for the status list: bring a licence's entries up to date, and republish a list (debounced).</summary>
public interface IStatusListQueue
{
    Task EnqueueSyncAsync(CreditCode code, CancellationToken cancellationToken);

    Task EnqueuePublishAsync(int listNumber, TimeSpan delay, CancellationToken cancellationToken);
}

/// <summary>The message of the status-sync queue: bring this licence's entries up to date.</summary>
public sealed record StatusSyncMessage(string Code)
{
    /// <summary>The message's credit code, or null when the message is not one (a malformed message is never retried into success).</summary>
    public static CreditCode? TryParse(string message, ICreditCodeExceptions codeExceptions) =>
        QueueMessages.TryRead<StatusSyncMessage>(message)?.Code is { } code && CreditCode.TryParse(code, out var parsed, codeExceptions) ? parsed : null;
}

/// <summary>The message of the status-publish queue: republish this list.</summary>
public sealed record StatusPublishMessage(int ListNumber)
{
    public static int? TryParse(string message) =>
        QueueMessages.TryRead<StatusPublishMessage>(message) is { ListNumber: >= 0 } m ? m.ListNumber : null;
}
