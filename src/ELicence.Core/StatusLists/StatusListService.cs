using ELicence.Core.Credentials;
using ELicence.Core.CreditCodes;
using ELicence.Core.Keys;
using ELicence.Core.Licences;
using ELicence.Core.Operations;

namespace ELicence.Core.StatusLists;

/// <summary>The status bits of one credential version, as the status list stores them.</summary>
public sealed record StatusEntry(long Index, string Code, int Version, bool Revoked, bool Suspended);

/// <summary>
/// A list's change counter and the counter value last published: dirty while Counter &gt; Published, since
/// <paramref name="DirtySince"/> (when its oldest unpublished change was counted; null for a clean list or one written before this was kept).
/// </summary>
public sealed record StatusListState(int ListNumber, long Counter, long Published, DateTimeOffset? DirtySince = null);

public interface IStatusListStore
{
    Task UpsertEntriesAsync(IReadOnlyList<StatusEntry> entries, CancellationToken cancellationToken);

    Task<IReadOnlyList<StatusEntry>> GetEntriesAsync(int listNumber, CancellationToken cancellationToken);

    /// <summary>Counts a change of the list; true when the list was clean before (so a publish must be queued).</summary>
    Task<bool> MarkChangedAsync(int listNumber, CancellationToken cancellationToken);

    Task<StatusListState?> GetStateAsync(int listNumber, CancellationToken cancellationToken);

    /// <summary>Records that everything up to <paramref name="counter"/> is published; returns the state after.</summary>
    Task<StatusListState> MarkPublishedAsync(int listNumber, long counter, CancellationToken cancellationToken);

    IAsyncEnumerable<StatusListState> GetDirtyAsync(CancellationToken cancellationToken);

    Task SavePublishedAsync(StatusPurpose purpose, int listNumber, string jws, CancellationToken cancellationToken);

    Task<string?> FindPublishedAsync(StatusPurpose purpose, int listNumber, CancellationToken cancellationToken);
}

/// <summary>Status list settings (section <c>StatusList</c>).</summary>
public sealed class StatusListOptions
{
    public const string Section = "StatusList";

    /// <summary>How long a burst of changes is gathered before the list is republished once.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00", "01:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan PublishDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long verifiers may cache a list (the credential's ttl and the HTTP max-age).</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Keeps the published status lists in step with the licences: a licence change queues a sync of its entries; a sync
/// marks the list changed and, if it was clean, queues one delayed publish; the publish rebuilds the whole list from its
/// entries. A sweep timer repairs whatever a crash left between those steps.
/// </summary>
public sealed class StatusListService(
    ILicenceStore licences,
    IStatusListStore store,
    IStatusListQueue queue,
    IKeyRingProvider keys,
    IssuerOptions issuer,
    StatusListOptions options,
    TimeProvider time)
{
    public async Task SyncAsync(CreditCode code, CancellationToken cancellationToken)
    {
        var current = await licences.FindCurrentAsync(code, cancellationToken);
        if (current is null)
        {
            return;
        }

        var versions = await licences.FindVersionsAsync(code, cancellationToken);
        var final = current.Status is LicenceStatus.Revoked or LicenceStatus.Deregistered;
        var entries = versions.Select(v => new StatusEntry(
            v.StatusListIndex,
            code.Value,
            v.Version,
            Revoked: final || v.Version < current.Version,
            Suspended: v.Version == current.Version && current.Status == LicenceStatus.Suspended)).ToList();
        await store.UpsertEntriesAsync(entries, cancellationToken);
        foreach (var list in entries.Select(e => StatusListCredentials.ListNumber(e.Index)).Distinct())
        {
            if (await store.MarkChangedAsync(list, cancellationToken))
            {
                await queue.EnqueuePublishAsync(list, options.PublishDelay, cancellationToken);
            }
        }

        await licences.ClearPendingStatusSyncAsync(code, current.EventCount, cancellationToken);
    }

    public async Task PublishAsync(int listNumber, CancellationToken cancellationToken)
    {
        var state = await store.GetStateAsync(listNumber, cancellationToken);
        if (state is null || state.Counter <= state.Published)
        {
            return; // nothing new since the last publish (a duplicate or a debounced message)
        }

        using var activity = ElicenceTelemetry.Source.StartActivity(ElicenceTelemetry.PublishStatusListSpan);
        activity?.SetTag("elicence.status_list.number", listNumber);

        var revocation = new BitstringStatusList();
        var suspension = new BitstringStatusList();
        foreach (var entry in await store.GetEntriesAsync(listNumber, cancellationToken))
        {
            revocation[StatusListCredentials.Position(entry.Index)] = entry.Revoked;
            suspension[StatusListCredentials.Position(entry.Index)] = entry.Suspended;
        }

        var ring = await keys.GetAsync(cancellationToken);
        var now = time.GetUtcNow();
        await store.SavePublishedAsync(StatusPurpose.Revocation, listNumber, StatusListCredentials.Sign(issuer, StatusPurpose.Revocation, listNumber, revocation, options.TimeToLive, now, ring.Signing), cancellationToken);
        await store.SavePublishedAsync(StatusPurpose.Suspension, listNumber, StatusListCredentials.Sign(issuer, StatusPurpose.Suspension, listNumber, suspension, options.TimeToLive, now, ring.Signing), cancellationToken);
        var after = await store.MarkPublishedAsync(listNumber, state.Counter, cancellationToken);
        if (after.Counter > after.Published)
        {
            // Changes arrived while publishing; their syncs saw a dirty list and queued nothing.
            await queue.EnqueuePublishAsync(listNumber, options.PublishDelay, cancellationToken);
        }
    }

    /// <summary>Timer: re-syncs licences whose sync was lost, and publishes lists left dirty.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        await foreach (var code in licences.FindPendingStatusSyncAsync(cancellationToken))
        {
            await SyncAsync(code, cancellationToken);
        }

        await foreach (var state in store.GetDirtyAsync(cancellationToken))
        {
            await PublishAsync(state.ListNumber, cancellationToken);
        }
    }

    public async Task<string> GetPublishedAsync(string purpose, string listNumber, CancellationToken cancellationToken)
    {
        var parsedPurpose = StatusListCredentials.ParsePurpose(purpose) ?? throw ProblemException.NotFound($"There is no status list purpose '{purpose}' (revocation, suspension).");
        // One URL per list: "00" or "+0" would be aliases of "0", which caches and front-door rules treat as other resources.
        if (!int.TryParse(listNumber, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            || number.ToString(System.Globalization.CultureInfo.InvariantCulture) != listNumber)
        {
            throw ProblemException.NotFound($"There is no status list '{listNumber}'.");
        }

        return await store.FindPublishedAsync(parsedPurpose, number, cancellationToken) ?? throw ProblemException.NotFound($"Status list {purpose}/{number} is not published.");
    }
}
