using ELicence.Core.Log;
using ELicence.Tlog;

namespace ELicence.Core.UnitTests.Fakes;

/// <summary>The log's note key in memory.</summary>
public sealed class InMemoryNoteKeyStore : INoteKeyStore
{
    public string? Stored { get; set; }

    public Task<string?> LoadAsync(CancellationToken cancellationToken) => Task.FromResult(Stored);

    public Task<bool> TryCreateAsync(string privateKey, CancellationToken cancellationToken)
    {
        if (Stored is not null)
        {
            return Task.FromResult(false);
        }

        Stored = privateKey;
        return Task.FromResult(true);
    }
}

/// <summary>Tiles and sequencer state in memory, with a crash switch: the write after <see cref="CrashAfterWrites"/> writes throws.</summary>
public sealed class InMemoryLog : ITileStore, ILogState, IPendingLeafSink, ILogIndex
{
    public Dictionary<string, byte[]> Resources { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, byte[]> Pending { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> Indexes { get; } = new(StringComparer.Ordinal);

    /// <summary>Leaf hash (base64) → index, and credit code → indexes, as the storage index keeps them.</summary>
    public Dictionary<string, long> ByHash { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, SortedSet<long>> ByCode { get; } = new(StringComparer.Ordinal);

    public string? CheckpointNote { get; set; }

    /// <summary>Writes allowed before a simulated crash; null never crashes.</summary>
    public int? CrashAfterWrites { get; set; }

    public int Writes { get; private set; }

    public void Add(string id, string entry) => Pending[id] = Encoding.UTF8.GetBytes(entry);

    public Task AddAsync(PendingLeaf leaf, CancellationToken cancellationToken)
    {
        Pending.TryAdd(leaf.Id, leaf.Entry.ToArray());
        return Task.CompletedTask;
    }

    public Task<byte[]?> ReadAsync(string path, CancellationToken cancellationToken) =>
        Task.FromResult(Resources.TryGetValue(path, out var content) ? content.ToArray() : null);

    public Task WriteAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        Write();
        Resources[path] = content.ToArray();
        return Task.CompletedTask;
    }

    public Task<string?> ReadCheckpointAsync(CancellationToken cancellationToken) => Task.FromResult(CheckpointNote);

    public Task WriteCheckpointAsync(string signedCheckpoint, CancellationToken cancellationToken)
    {
        Write();
        CheckpointNote = signedCheckpoint;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PendingLeaf>> ReadPendingAsync(int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PendingLeaf>>(Pending.Take(max).Select(p => new PendingLeaf(p.Key, p.Value)).ToList());

    public Task<long?> FindIndexAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(Indexes.TryGetValue(id, out var index) ? index : (long?)null);

    public Task RecordIndexesAsync(IReadOnlyList<SequencedLeaf> leaves, CancellationToken cancellationToken)
    {
        foreach (var (id, index, entry) in leaves)
        {
            Write();
            Indexes[id] = index;
            ByHash[Convert.ToBase64String(MerkleHash.Leaf(entry))] = index;
            if (LogEntries.Describe(entry)?.Code is { } code)
            {
                (ByCode.TryGetValue(code, out var set) ? set : ByCode[code] = []).Add(index);
            }
        }

        return Task.CompletedTask;
    }

    public Task RemovePendingAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        foreach (var id in ids)
        {
            Write();
            Pending.Remove(id);
        }

        return Task.CompletedTask;
    }

    public Task<long?> FindByLeafHashAsync(byte[] leafHash, CancellationToken cancellationToken) =>
        Task.FromResult(ByHash.TryGetValue(Convert.ToBase64String(leafHash), out var index) ? index : (long?)null);

    public Task<IReadOnlyList<long>> ListByCodeAsync(CreditCodes.CreditCode code, long after, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<long>>(ByCode.TryGetValue(code.Value, out var set) ? [.. set.Where(i => i > after).Take(max)] : []);

    private void Write()
    {
        if (Writes == CrashAfterWrites)
        {
            throw new IOException("simulated crash");
        }

        Writes++;
    }
}
