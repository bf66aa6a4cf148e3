using System.Runtime.CompilerServices;

namespace ELicence.Core.UnitTests.Fakes;

/// <summary>A status list store whose change counter a test drives by hand (to interleave a change with a publish).</summary>
internal sealed class ScriptedStatusListStore : IStatusListStore
{
    public List<StatusEntry> Entries { get; } = [];

    public long Changes { get; set; }

    public long Published { get; private set; }

    public int Saves { get; private set; }

    public Action? OnSave { get; set; }

    /// <summary>When list 1's oldest unpublished change was counted, as the table keeps it.</summary>
    public DateTimeOffset? DirtySince { get; set; }

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
        if (Changes > Published)
        {
            yield return new StatusListState(1, Changes, Published, DirtySince);
        }
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
