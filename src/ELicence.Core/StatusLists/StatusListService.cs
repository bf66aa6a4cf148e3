using ELicence.Core.Credentials;
using ELicence.Core.CreditCodes;
using ELicence.Core.Keys;
using ELicence.Core.Licences;
using ELicence.Core.Operations;

using ELicence.Jose;

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

    /// <summary>
    /// How long a Token Status List is valid (its <c>exp</c> after <c>iat</c>); the sweep re-signs a list when half of it has
    /// passed, so that every instant since the first publish has a version valid at it (historical resolution).
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:10:00", "7.00:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(1);
}

/// <summary>
/// Keeps the published status lists in step with the licences: a licence change queues a sync of its entries; a sync
/// marks the list changed and, if it was clean, queues one delayed publish; the publish rebuilds the whole list from its
/// entries. A sweep timer repairs whatever a crash left between those steps. Each publish writes the W3C Bitstring Status
/// Lists (revocation and suspension, EdDSA) and the IETF Token Status List (2 bits, ES256) of the same entries, so the two
/// always agree; wallet copies of the SD-JWT VC have entries of their own, withdrawn with the person they were issued to.
/// </summary>
public sealed class StatusListService(
    ILicenceStore licences,
    IStatusListStore store,
    IStatusListQueue queue,
    IKeyRingProvider keys,
    IssuerOptions issuer,
    StatusListOptions options,
    TimeProvider time,
    ITokenStatusListStore? tokens = null,
    IWalletCopyStore? copies = null)
{
    /// <summary>The most a list published here inflates to (2 bits × its entries), the bound for reading one back.</summary>
    public const int TokenListBytes = BitstringStatusList.Length * TokenStatusList.Bits / 8;

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
        var now = time.GetUtcNow();
        foreach (var copy in copies is null ? [] : await copies.ListAsync(code, cancellationToken))
        {
            // A copy follows its licence version, and is withdrawn on its own when its person is removed or expires.
            var revoked = final || copy.Version < current.Version || copy.WithdrawnAt(now);
            entries.Add(new StatusEntry(copy.Index, code.Value, copy.Version, revoked, !revoked && current.Status == LicenceStatus.Suspended));
        }

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

    /// <param name="refresh">Publish even when nothing changed: the Token Status List is due to be re-signed before its exp.</param>
    public async Task PublishAsync(int listNumber, CancellationToken cancellationToken, bool refresh = false)
    {
        var state = await store.GetStateAsync(listNumber, cancellationToken);
        if (state is null || (state.Counter <= state.Published && !refresh))
        {
            return; // nothing new since the last publish (a duplicate or a debounced message)
        }

        using var activity = ElicenceTelemetry.Source.StartActivity(ElicenceTelemetry.PublishStatusListSpan);
        activity?.SetTag("elicence.status_list.number", listNumber);

        var revocation = new BitstringStatusList();
        var suspension = new BitstringStatusList();
        var token = new TokenStatusList(BitstringStatusList.Length);
        foreach (var entry in await store.GetEntriesAsync(listNumber, cancellationToken))
        {
            revocation[StatusListCredentials.Position(entry.Index)] = entry.Revoked;
            suspension[StatusListCredentials.Position(entry.Index)] = entry.Suspended;
            token[TokenStatusLists.Position(entry.Index)] = TokenStatusLists.StatusOf(entry);
        }

        var ring = await keys.GetAsync(cancellationToken);
        var now = time.GetUtcNow();
        if (tokens is not null && ring.SigningEs256 is not null)
        {
            // First: a crash after it republishes both (the counter is not yet marked published), and the version is write-once by iat.
            await tokens.SaveAsync(listNumber, now.ToUnixTimeSeconds(), state.Counter, TokenStatusLists.Sign(issuer, listNumber, token, options.TimeToLive, options.TokenLifetime, now, ring), cancellationToken);
        }

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

        if (copies is not null)
        {
            await foreach (var code in copies.FindExpiredAsync(time.GetUtcNow(), cancellationToken))
            {
                await copies.RevokeAsync(code, null, time.GetUtcNow(), cancellationToken, expiredOnly: true);
                await SyncAsync(code, cancellationToken);
            }
        }

        await RefreshTokenListsAsync(cancellationToken);
    }

    /// <summary>Re-signs every Token Status List past half its lifetime, so a current (and, for history, a valid) version always exists.</summary>
    private async Task RefreshTokenListsAsync(CancellationToken cancellationToken)
    {
        if (tokens is null)
        {
            return;
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        for (var list = 0; list < 100_000 && await store.GetStateAsync(list, cancellationToken) is not null; list++)
        {
            var current = await tokens.FindCurrentAsync(list, cancellationToken);
            if (current is null || TokenStatusLists.ValidityOf(current) is not { } validity || now >= validity.IssuedAt + ((validity.ExpiresAt - validity.IssuedAt) / 2))
            {
                await PublishAsync(list, cancellationToken, refresh: true);
            }
        }
    }

    /// <summary>
    /// The Token Status List: the current one, or with <paramref name="time"/> (unix seconds, draft-ietf-oauth-status-list
    /// §8.4) the version that was valid at that instant: the newest issued at or before it, if its exp is after it; else 404.
    /// </summary>
    public async Task<string> GetTokenListAsync(string listNumber, string? time, CancellationToken cancellationToken)
    {
        var number = ParseListNumber(listNumber);
        if (tokens is null)
        {
            throw ProblemException.NotFound($"Token status list {number} is not published.");
        }

        if (time is null)
        {
            return await tokens.FindCurrentAsync(number, cancellationToken) ?? throw ProblemException.NotFound($"Token status list {number} is not published.");
        }

        if (!long.TryParse(time, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var at) || at > 253_402_300_799)
        {
            throw ProblemException.Invalid("time", "A unix timestamp: whole seconds since 1970-01-01T00:00:00Z (draft-ietf-oauth-status-list §8.4).");
        }

        var found = await tokens.FindAtAsync(number, at, cancellationToken);
        return found is not null && TokenStatusLists.ValidityOf(found) is { } validity && validity.IssuedAt <= at && at < validity.ExpiresAt
            ? found
            : throw ProblemException.NotFound($"Token status list {number} has no version valid at {at} (before its first publication, or in the future).");
    }

    public async Task<string> GetPublishedAsync(string purpose, string listNumber, CancellationToken cancellationToken)
    {
        var parsedPurpose = StatusListCredentials.ParsePurpose(purpose) ?? throw ProblemException.NotFound($"There is no status list purpose '{purpose}' (revocation, suspension).");
        var number = ParseListNumber(listNumber);
        return await store.FindPublishedAsync(parsedPurpose, number, cancellationToken) ?? throw ProblemException.NotFound($"Status list {purpose}/{number} is not published.");
    }

    private static int ParseListNumber(string listNumber)
    {
        // One URL per list: "00" or "+0" would be aliases of "0", which caches and front-door rules treat as other resources.
        return int.TryParse(listNumber, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            && number.ToString(System.Globalization.CultureInfo.InvariantCulture) == listNumber
            ? number
            : throw ProblemException.NotFound($"There is no status list '{(listNumber.Length > 20 ? listNumber[..20] + "…" : listNumber)}'.");
    }
}
