using ELicence.Core.CreditCodes;

namespace ELicence.Core.Licences;

/// <summary>
/// One committed licence event (from the licence's history), handed to every subscriber at least once and, per licence,
/// in sequence order. A subscriber must be idempotent per (<see cref="Code"/>, <c>Event.Sequence</c>).
/// </summary>
public sealed record LicenceEventNotice(CreditCode Code, LicenceEvent Event);

/// <summary>Something that must learn of every committed licence event: the change feed, notifications, the log.</summary>
public interface ILicenceEventSubscriber
{
    /// <summary>Short name for logs.</summary>
    string Name { get; }

    Task HandleAsync(LicenceEventNotice notice, CancellationToken cancellationToken);
}

/// <summary>
/// The transactional outbox of licence events: every commit of a licence writes a pending row per event in the licence's
/// partition, in the same transaction as the event itself, so an event is never committed without being pending.
/// </summary>
public interface ILicenceOutbox
{
    /// <summary>The sequence numbers of this licence's events not yet handed to every subscriber, lowest first.</summary>
    Task<IReadOnlyList<int>> GetPendingAsync(CreditCode code, CancellationToken cancellationToken);

    /// <summary>Marks an event handed over (a repeated call does nothing).</summary>
    Task RemoveAsync(CreditCode code, int sequence, CancellationToken cancellationToken);

    /// <summary>Codes with an event pending since before <paramref name="committedBefore"/> (a lost nudge or a failing subscriber).</summary>
    IAsyncEnumerable<CreditCode> FindStaleAsync(DateTimeOffset committedBefore, CancellationToken cancellationToken);
}

/// <summary>The nudge after a commit: dispatch this licence's pending events.</summary>
public interface ILicenceEventQueue
{
    Task EnqueueAsync(CreditCode code, CancellationToken cancellationToken);
}

/// <summary>The message of the licence-events queue.</summary>
public sealed record LicenceEventsMessage(string Code)
{
    /// <summary>The message's credit code, or null when the message is not one.</summary>
    public static CreditCode? TryParse(string message, ICreditCodeExceptions codeExceptions) =>
        QueueMessages.TryRead<LicenceEventsMessage>(message)?.Code is { } code && CreditCode.TryParse(code, out var parsed, codeExceptions) ? parsed : null;
}

/// <summary>
/// Relays the outbox: hands a licence's pending events to every subscriber in sequence order, then clears each. A
/// subscriber that throws leaves the event (and every later one of that licence) pending: the queue retries, and the
/// sweep re-sends what is still pending after <see cref="StaleAfter"/>. So delivery is at least once and per-licence ordered.
/// </summary>
public sealed class LicenceEventDispatcher(
    ILicenceStore licences,
    ILicenceOutbox outbox,
    IEnumerable<ILicenceEventSubscriber> subscribers,
    ILicenceEventQueue queue,
    TimeProvider time)
{
    /// <summary>How old a pending event must be before the sweep re-sends it (its own nudge normally handles it within a second).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

    private readonly IReadOnlyList<ILicenceEventSubscriber> _subscribers = [.. subscribers];

    public async Task DispatchAsync(CreditCode code, CancellationToken cancellationToken)
    {
        var pending = await outbox.GetPendingAsync(code, cancellationToken);
        if (pending.Count == 0)
        {
            return; // a duplicate nudge: an earlier one handed everything over
        }

        var history = (await licences.GetHistoryAsync(code, cancellationToken)).ToDictionary(e => e.Sequence);
        foreach (var sequence in pending)
        {
            var evt = history.GetValueOrDefault(sequence)
                ?? throw new InvalidDataException($"Licence {code} has an outbox row for event {sequence} but no such event in its history.");
            var notice = new LicenceEventNotice(code, evt);
            foreach (var subscriber in _subscribers)
            {
                await subscriber.HandleAsync(notice, cancellationToken);
            }

            await outbox.RemoveAsync(code, sequence, cancellationToken);
        }
    }

    /// <summary>Timer: re-sends every licence whose events have waited longer than <see cref="StaleAfter"/>.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var codes = new HashSet<CreditCode>();
        await foreach (var code in outbox.FindStaleAsync(time.GetUtcNow() - StaleAfter, cancellationToken))
        {
            if (codes.Add(code))
            {
                await queue.EnqueueAsync(code, cancellationToken);
            }
        }
    }
}
