using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using ELicence.Core.Log;
using ELicence.Tlog;

namespace ELicence.Benchmarks;

/// <summary>
/// The CPU part of sequencing: one batch of <see cref="LogSequencer.MaxBatch"/> leaves appended to a tree of 100,000
/// (tiles, root, signed checkpoint) over an in-memory store. Leaves/s = MaxBatch / mean time; the issue asks ≥ 5,000.
/// </summary>
[MemoryDiagnoser]
public class LogBenchmarks
{
    private const string Origin = "elicence.bench/log";

    private readonly NoteSigner _signer = new(Origin, new byte[32]);
    private MemoryLog _base = null!;
    private MemoryLog _log = null!;

    [GlobalSetup]
    public void Setup()
    {
        _base = new MemoryLog();
        for (var batch = 0; batch < 25; batch++)
        {
            _base.Fill(batch * 4000, 4000);
            new LogSequencer(_base, _base, _signer, Origin).SequenceBatchAsync(default).GetAwaiter().GetResult();
        }
    }

    [IterationSetup]
    public void Pending()
    {
        _log = _base.Copy();
        _log.Fill(1_000_000, LogSequencer.MaxBatch);
    }

    [Benchmark]
    public long Sequence_one_full_batch() =>
        new LogSequencer(_log, _log, _signer, Origin).SequenceBatchAsync(default).GetAwaiter().GetResult().Size;

    private sealed class MemoryLog : ITileStore, ILogState
    {
        private readonly Dictionary<string, byte[]> _resources = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, byte[]> _pending = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _indexes = new(StringComparer.Ordinal);
        private string? _checkpoint;

        public void Fill(int from, int count)
        {
            for (var i = from; i < from + count; i++)
            {
                _pending[i.ToString("D9", CultureInfo.InvariantCulture)] = Encoding.UTF8.GetBytes(
                    "{\"at\":\"2026-11-29T17:00:00.0000000Z\",\"code\":\"91653001MA7XKQ3P2N\",\"kind\":\"receipt\",\"n\":" + i.ToString(CultureInfo.InvariantCulture) + "}");
            }
        }

        public MemoryLog Copy()
        {
            var copy = new MemoryLog { _checkpoint = _checkpoint };
            foreach (var (k, v) in _resources)
            {
                copy._resources[k] = v;
            }

            foreach (var (k, v) in _indexes)
            {
                copy._indexes[k] = v;
            }

            return copy;
        }

        public Task<byte[]?> ReadAsync(string path, CancellationToken cancellationToken) => Task.FromResult(_resources.GetValueOrDefault(path));

        public Task WriteAsync(string path, byte[] content, CancellationToken cancellationToken)
        {
            _resources[path] = content;
            return Task.CompletedTask;
        }

        public Task<string?> ReadCheckpointAsync(CancellationToken cancellationToken) => Task.FromResult(_checkpoint);

        public Task WriteCheckpointAsync(string signedCheckpoint, CancellationToken cancellationToken)
        {
            _checkpoint = signedCheckpoint;
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<PendingLeaf>> ReadPendingAsync(int max, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<PendingLeaf>>(_pending.Take(max).Select(p => new PendingLeaf(p.Key, p.Value)).ToList());

        public Task<long?> FindIndexAsync(string id, CancellationToken cancellationToken) =>
            Task.FromResult(_indexes.TryGetValue(id, out var index) ? index : (long?)null);

        public Task RecordIndexesAsync(IReadOnlyList<SequencedLeaf> leaves, CancellationToken cancellationToken)
        {
            foreach (var (id, index, _) in leaves)
            {
                _indexes[id] = index;
            }

            return Task.CompletedTask;
        }

        public Task RemovePendingAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
        {
            foreach (var id in ids)
            {
                _pending.Remove(id);
            }

            return Task.CompletedTask;
        }
    }
}
