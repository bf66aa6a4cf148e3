using System.Runtime.CompilerServices;
using ELicence.Core.Credentials;
using ELicence.Core.CreditCodes;
using ELicence.Core.Keys;
using ELicence.Core.Licences;
using ELicence.Core.StatusLists;
using Microsoft.Extensions.Time.Testing;

namespace ELicence.Core.UnitTests;

/// <summary>The debounce of status list publishing (the integration tests run the same service over Azurite).</summary>
public class StatusListServiceTests
{
    private readonly Store _store = new();
    private readonly Queue _queue = new();
    private readonly Licences _licences = new();
    private readonly StatusListService _service;

    public StatusListServiceTests()
    {
        var ring = KeyRing.CreateNew(DateTimeOffset.UnixEpoch);
        _service = new StatusListService(_licences, _store, _queue, new FixedKeys(ring), new IssuerOptions(), new StatusListOptions(), new FakeTimeProvider());
    }

    [Fact]
    public async Task A_burst_of_changes_queues_one_publish_and_a_change_during_publishing_queues_exactly_one_more()
    {
        var licence = Builders.Licence();
        _licences.Current = licence;

        for (var i = 0; i < 10; i++)
        {
            await _service.SyncAsync(licence.Code, default);
        }

        Assert.Equal(1, _queue.Publishes);
        _store.OnSave = () => _store.Changes++; // a change arrives while the list is being published
        await _service.PublishAsync(1, default);
        Assert.Equal(2, _queue.Publishes);
        _store.OnSave = null;
        await _service.PublishAsync(1, default);
        await _service.PublishAsync(1, default); // a duplicate delivery publishes nothing
        Assert.Equal(2, _queue.Publishes);
        Assert.Equal(2, _store.Saves / 2);
    }

    [Fact]
    public async Task A_superseded_version_is_revoked_in_the_list_and_the_current_one_carries_the_suspension()
    {
        var v1 = Builders.Licence();
        var v2 = v1 with { Version = 2, StatusListIndex = v1.StatusListIndex + 1, Status = LicenceStatus.Suspended };
        _licences.Current = v2;
        _licences.Versions = [v1, v2];

        await _service.SyncAsync(v1.Code, default);

        Assert.Equal([(true, false), (false, true)], _store.Entries.Select(e => (e.Revoked, e.Suspended)));
    }

    private sealed class FixedKeys(KeyRing ring) : IKeyRingProvider
    {
        public ValueTask<KeyRing> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(ring);
    }

    private sealed class Queue : IStatusListQueue
    {
        public int Publishes { get; private set; }

        public Task EnqueueSyncAsync(CreditCode code, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task EnqueuePublishAsync(int listNumber, TimeSpan delay, CancellationToken cancellationToken)
        {
            Publishes++;
            return Task.CompletedTask;
        }
    }

    private sealed class Store : IStatusListStore
    {
        public List<StatusEntry> Entries { get; } = [];

        public long Changes { get; set; }

        public long Published { get; private set; }

        public int Saves { get; private set; }

        public Action? OnSave { get; set; }

        public Task UpsertEntriesAsync(IReadOnlyList<StatusEntry> entries, CancellationToken cancellationToken)
        {
            Entries.RemoveAll(e => entries.Any(n => n.Index == e.Index));
            Entries.AddRange(entries);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<StatusEntry>> GetEntriesAsync(int listNumber, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<StatusEntry>>(Entries);

        public Task<bool> MarkChangedAsync(int listNumber, CancellationToken cancellationToken) => Task.FromResult(Changes++ == Published);

        public Task<StatusListState?> GetStateAsync(int listNumber, CancellationToken cancellationToken) => Task.FromResult<StatusListState?>(new(listNumber, Changes, Published));

        public Task<StatusListState> MarkPublishedAsync(int listNumber, long counter, CancellationToken cancellationToken)
        {
            Published = Math.Max(Published, counter);
            return Task.FromResult(new StatusListState(listNumber, Changes, Published));
        }

        public async IAsyncEnumerable<StatusListState> GetDirtyAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask;
            yield break;
        }

        public Task SavePublishedAsync(StatusPurpose purpose, int listNumber, string jws, CancellationToken cancellationToken)
        {
            Saves++;
            OnSave?.Invoke();
            OnSave = null;
            return Task.CompletedTask;
        }

        public Task<string?> FindPublishedAsync(StatusPurpose purpose, int listNumber, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
    }

    private sealed class Licences : ILicenceStore
    {
        public Licence? Current { get; set; }

        public IReadOnlyList<Licence>? Versions { get; set; }

        public Task<Licence?> FindCurrentAsync(CreditCode code, CancellationToken cancellationToken) => Task.FromResult(Current);

        public Task<IReadOnlyList<Licence>> FindVersionsAsync(CreditCode code, CancellationToken cancellationToken) => Task.FromResult(Versions ?? [Current!]);

        public Task ClearPendingStatusSyncAsync(CreditCode code, int changeSequence, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> TryAddAsync(Licence licence, LicenceEvent issued, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Licence?> FindVersionAsync(CreditCode code, int version, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> TrySaveAsync(LicenceChange change, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<LicenceEvent>> GetHistoryAsync(CreditCode code, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<OperatingPermit>> GetPermitsAsync(CreditCode code, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IAsyncEnumerable<Licence> FindByStatusAsync(LicenceStatus status, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IAsyncEnumerable<CreditCode> FindPendingStatusSyncAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
