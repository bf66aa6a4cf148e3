using System.Globalization;
using System.Runtime.CompilerServices;

namespace ELicence.Core.UnitTests.Fakes;

/// <summary>
/// The licence store in memory with the semantics of the Table Storage one: a change commits whole under the ETag it was
/// read with, and gets a new ETag; history, versions, permits and objections are append-only rows of the licence; each
/// committed event is pending in the outbox until removed.
/// </summary>
internal sealed class InMemoryLicenceStore : ILicenceStore, ILicenceOutbox
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private int _etags;

    /// <summary>How many commits were attempted (successful or not).</summary>
    public int SaveAttempts { get; private set; }

    /// <summary>Runs inside the next commit before it checks the ETag: a test's way to change the licence concurrently.</summary>
    public Action? BeforeNextSave { get; set; }

    /// <summary>Puts a licence in the store as if issued (tests arrange state with it); returns it with its ETag.</summary>
    public Licence Seed(Licence licence, params OperatingPermit[] permits)
    {
        ArgumentNullException.ThrowIfNull(licence);
        lock (_gate)
        {
            var stored = licence with { ETag = NewETag() };
            var entry = new Entry(stored);
            entry.Versions[stored.Version] = stored;
            entry.Permits.AddRange(permits);
            entry.PendingSync = stored.EventCount;
            _entries[stored.Code.Value] = entry;
            return stored;
        }
    }

    /// <summary>Adds an earlier version of a seeded licence.</summary>
    public void SeedEarlierVersion(Licence version)
    {
        ArgumentNullException.ThrowIfNull(version);
        lock (_gate)
        {
            _entries[version.Code.Value].Versions[version.Version] = version;
        }
    }

    public Task<bool> TryAddAsync(Licence licence, LicenceEvent issued, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(licence);
        lock (_gate)
        {
            if (_entries.ContainsKey(licence.Code.Value))
            {
                return Task.FromResult(false);
            }

            var stored = licence with { ETag = NewETag() };
            var entry = new Entry(stored);
            entry.Versions[stored.Version] = stored;
            entry.Events.Add(issued);
            entry.PendingSync = issued.Sequence;
            entry.Outbox[issued.Sequence] = issued.At;
            _entries[licence.Code.Value] = entry;
            return Task.FromResult(true);
        }
    }

    public Task<Licence?> FindCurrentAsync(CreditCode code, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_entries.TryGetValue(code.Value, out var e) ? e.Current : null);
        }
    }

    public Task<LicenceWithPermits?> FindCurrentWithPermitsAsync(CreditCode code, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_entries.TryGetValue(code.Value, out var e) ? new LicenceWithPermits(e.Current, [.. e.Permits.OrderBy(p => p.AttachedAt)]) : null);
        }
    }

    public Task<Licence?> FindVersionAsync(CreditCode code, int version, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_entries.TryGetValue(code.Value, out var e) && e.Versions.TryGetValue(version, out var v) ? v : null);
        }
    }

    public Task<IReadOnlyList<Licence>> FindVersionsAsync(CreditCode code, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Licence>>(_entries.TryGetValue(code.Value, out var e) ? [.. e.Versions.OrderBy(v => v.Key).Select(v => v.Value)] : []);
        }
    }

    public Task<Licence?> TrySaveAsync(LicenceChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var before = BeforeNextSave;
        BeforeNextSave = null;
        before?.Invoke();
        lock (_gate)
        {
            SaveAttempts++;
            var licence = change.Updated;
            if (!_entries.TryGetValue(licence.Code.Value, out var entry) || entry.Current.ETag != licence.ETag
                || entry.Events.Any(e => e.Sequence == change.Event.Sequence)
                || (change.AddsVersion && entry.Versions.ContainsKey(licence.Version)))
            {
                return Task.FromResult<Licence?>(null);
            }

            var committed = licence with { ETag = NewETag() };
            entry.Current = committed;
            entry.Events.Add(change.Event);
            entry.PendingSync = change.Event.Sequence;
            entry.Outbox[change.Event.Sequence] = change.Event.At;
            if (change.AddsVersion)
            {
                entry.Versions[committed.Version] = committed;
            }

            if (change.Permit is { } permit)
            {
                entry.Permits.Add(permit);
            }

            foreach (var objection in change.Objections ?? [])
            {
                entry.Objections.RemoveAll(o => o.Id == objection.Id);
                entry.Objections.Add(objection);
            }

            return Task.FromResult<Licence?>(committed);
        }
    }

    public Task<IReadOnlyList<LicenceEvent>> GetHistoryAsync(CreditCode code, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<LicenceEvent>>(_entries.TryGetValue(code.Value, out var e) ? [.. e.Events.OrderBy(x => x.Sequence)] : []);
        }
    }

    public Task<IReadOnlyList<OperatingPermit>> GetPermitsAsync(CreditCode code, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<OperatingPermit>>(_entries.TryGetValue(code.Value, out var e) ? [.. e.Permits.OrderBy(p => p.AttachedAt)] : []);
        }
    }

    public Task<IReadOnlyList<Objection>> GetObjectionsAsync(CreditCode code, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Objection>>(_entries.TryGetValue(code.Value, out var e) ? [.. e.Objections.OrderBy(o => o.LodgedAt)] : []);
        }
    }

    public async IAsyncEnumerable<Licence> FindByStatusAsync(LicenceStatus status, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<Licence> found;
        lock (_gate)
        {
            found = [.. _entries.Values.Select(e => e.Current).Where(l => l.Status == status)];
        }

        foreach (var licence in found)
        {
            await Task.Yield();
            yield return licence;
        }
    }

    public async IAsyncEnumerable<CreditCode> FindPendingStatusSyncAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<CreditCode> pending;
        lock (_gate)
        {
            pending = [.. _entries.Values.Where(e => e.PendingSync is not null).Select(e => e.Current.Code)];
        }

        foreach (var code in pending)
        {
            await Task.Yield();
            yield return code;
        }
    }

    public Task ClearPendingStatusSyncAsync(CreditCode code, int changeSequence, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(code.Value, out var e) && e.PendingSync <= changeSequence)
            {
                e.PendingSync = null;
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<int>> GetPendingAsync(CreditCode code, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<int>>(_entries.TryGetValue(code.Value, out var entry) ? [.. entry.Outbox.Keys] : []);
        }
    }

    public Task RemoveAsync(CreditCode code, int sequence, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(code.Value, out var entry))
            {
                entry.Outbox.Remove(sequence);
            }

            return Task.CompletedTask;
        }
    }

    public async IAsyncEnumerable<CreditCode> FindStaleAsync(DateTimeOffset committedBefore, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<CreditCode> stale;
        lock (_gate)
        {
            stale = [.. _entries.Values.Where(e => e.Outbox.Values.Any(at => at < committedBefore)).Select(e => e.Current.Code)];
        }

        foreach (var code in stale)
        {
            await Task.Yield();
            yield return code;
        }
    }

    private string NewETag() => "W/\"" + (++_etags).ToString(CultureInfo.InvariantCulture) + "\"";

    private sealed class Entry(Licence current)
    {
        public Licence Current { get; set; } = current;

        public Dictionary<int, Licence> Versions { get; } = [];

        public List<LicenceEvent> Events { get; } = [];

        public List<OperatingPermit> Permits { get; } = [];

        public List<Objection> Objections { get; } = [];

        public int? PendingSync { get; set; }

        public SortedDictionary<int, DateTimeOffset> Outbox { get; } = [];
    }
}
