using System.Globalization;
using ELicence.Core.CreditCodes;
using ELicence.Core.Licences;

namespace ELicence.Core.Register;

/// <summary>
/// One public change in the register's total order: its feed sequence number, the licence event it comes from, the
/// public field names it changed (amendments) and the licence's public record as the feed writer read it.
/// </summary>
public sealed record FeedEntry(long Sequence, string Type, string CreditCode, int EventSequence, DateTimeOffset At, IReadOnlyList<string> Changes, PublicRecord Record);

/// <summary>Where the feed stands: its last sequence number (0 when empty) and the oldest cursor still served (entries up to it were removed).</summary>
public sealed record FeedHead(long Last, long Floor);

/// <summary>The change feed's storage: contiguous sequence numbers, one entry per (licence, event), appended by one writer at a time.</summary>
public interface IChangeFeedStore
{
    /// <summary>
    /// Appends the entry for event <paramref name="eventSequence"/> of <paramref name="code"/> with the next sequence number,
    /// atomically with the licence's high-water mark; null when the mark shows it (or a later event) is already in the feed.
    /// </summary>
    Task<FeedEntry?> AppendAsync(CreditCode code, int eventSequence, Func<long, FeedEntry> entry, CancellationToken cancellationToken);

    Task<FeedHead> GetHeadAsync(CancellationToken cancellationToken);

    /// <summary>Entries after <paramref name="after"/>, in order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<FeedEntry>> ReadAsync(long after, int limit, CancellationToken cancellationToken);

    /// <summary>Removes entries up to <paramref name="upTo"/> that are older than <paramref name="olderThan"/>, oldest first, raising the floor as it goes.</summary>
    Task TrimAsync(long upTo, DateTimeOffset olderThan, CancellationToken cancellationToken);
}

/// <summary>
/// Appends every public licence event to the change feed, driven by the licence-event outbox (at least once, per licence
/// in order): the store's per-licence high-water mark turns a repeated notice into nothing, so each event is in the feed
/// exactly once, and the outbox keeps a notice until this has returned, so none is lost.
/// </summary>
public sealed class ChangeFeedWriter(ILicenceStore licences, IChangeFeedStore feed) : ILicenceEventSubscriber
{
    /// <summary>The amended fields the register may name: the public ones (registered capital and dates are not).</summary>
    private static readonly HashSet<string> PublicFields = new(StringComparer.Ordinal)
    {
        "name", "entityType", "legalRepresentative", "domicile", "operatingTerm", "businessScope", "registrationAuthority", "english", "status",
    };

    public string Name => "register-change-feed";

    /// <summary>Issuance, amendments and every status change are public; permits and objection steps without a status change are not.</summary>
    public static bool IsPublic(LicenceEvent licenceEvent)
    {
        ArgumentNullException.ThrowIfNull(licenceEvent);
        return licenceEvent.Type is "issued" or "amended" || licenceEvent.StatusBefore != licenceEvent.StatusAfter;
    }

    public async Task HandleAsync(LicenceEventNotice notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var e = notice.Event;
        if (!IsPublic(e))
        {
            return;
        }

        var record = await PublicRecords.ReadAsync(licences, notice.Code, cancellationToken)
            ?? throw new InvalidOperationException($"Licence {notice.Code} has event {e.Sequence} in the outbox but no current row.");
        IReadOnlyList<string> changes = [.. e.Changes.Select(c => c.Field).Where(PublicFields.Contains).Distinct(StringComparer.Ordinal)];
        await feed.AppendAsync(notice.Code, e.Sequence, sequence => new FeedEntry(sequence, e.Type, notice.Code.Value, e.Sequence, e.At, changes, record), cancellationToken);
    }
}

/// <summary>A feed read as the query string gives it.</summary>
public sealed record FeedRequest(string? After, string? Limit, string? Wait);

/// <summary>A page of the feed: the entries, and the cursor to resume from (the last entry's sequence, or the request's cursor when there was none).</summary>
public sealed record FeedPage(IReadOnlyList<FeedEntry> Changes, long Cursor, long Last);

/// <summary>Reads the feed from a cursor: 400 for a malformed cursor or one from the future, 410 for one older than the retention window.</summary>
public sealed class ChangeFeedReader(IChangeFeedStore feed, RegisterOptions options)
{
    public const int MaxLimit = 1000;
    public const int DefaultLimit = 100;
    public const int MaxWaitSeconds = 30;

    public async Task<FeedPage> ReadAsync(FeedRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var after = Number(request.After, "after", 0, long.MaxValue, 0, "a sequence number from this feed (0 or absent: from the start)");
        var limit = (int)Number(request.Limit, "limit", 1, MaxLimit, DefaultLimit, $"a whole number from 1 to {MaxLimit}");
        var wait = Number(request.Wait, "wait", 0, MaxWaitSeconds, 0, $"seconds to wait for a change, from 0 to {MaxWaitSeconds}");

        var head = await feed.GetHeadAsync(cancellationToken);
        if (after > head.Last)
        {
            throw ProblemException.Invalid("after", string.Create(CultureInfo.InvariantCulture, $"Cursor {after} is ahead of the feed, whose last change is {head.Last}: use a cursor this feed returned."));
        }

        if (after < head.Floor)
        {
            throw new ProblemException(
                ProblemType.Gone,
                string.Create(CultureInfo.InvariantCulture, $"Changes up to {head.Floor} are no longer kept. Start from the latest snapshot (/api/v1/register/snapshots), then read the feed from its lastSequence."),
                extensions: new Dictionary<string, object?> { ["oldestCursor"] = head.Floor, ["snapshots"] = "/api/v1/register/snapshots" });
        }

        // Long polling looks again every interval on the real clock: it bounds a request's duration, not a business deadline.
        var deadline = DateTime.UtcNow.AddSeconds(wait);
        while (true)
        {
            var entries = await feed.ReadAsync(after, limit, cancellationToken);
            if (entries.Count > 0 || DateTime.UtcNow >= deadline)
            {
                var last = entries.Count > 0 ? Math.Max(head.Last, entries[^1].Sequence) : head.Last;
                return new FeedPage(entries, entries.Count > 0 ? entries[^1].Sequence : after, last);
            }

            await Task.Delay(options.LongPollInterval, cancellationToken);
        }
    }

    private static long Number(string? value, string field, long min, long max, long absent, string expected)
    {
        if (value is null)
        {
            return absent;
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw ProblemException.Invalid(field, $"Expected {expected}.");
    }
}
