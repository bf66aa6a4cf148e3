using ELicence.Core.Register;
using ELicence.Core.Serialization;
using ELicence.Jose;

namespace ELicence.Core.UnitTests.Fakes;

/// <summary>The search index in memory: term → code → entry, as the table partitions them.</summary>
internal sealed class InMemoryRegisterIndex : IRegisterIndex
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, IndexedLicence>> _terms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IndexedLicence> _marks = new(StringComparer.Ordinal);

    public int Writes { get; private set; }

    public IReadOnlyCollection<string> Terms
    {
        get
        {
            lock (_gate)
            {
                return [.. _terms.Keys];
            }
        }
    }

    public Task<IndexedLicence?> FindMarkAsync(CreditCode code, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_marks.GetValueOrDefault(code.Value));
        }
    }

    public Task WriteAsync(IndexedLicence licence, IReadOnlyList<string> terms, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Writes++;
            foreach (var term in terms)
            {
                if (!_terms.TryGetValue(term, out var rows))
                {
                    _terms[term] = rows = new SortedDictionary<string, IndexedLicence>(StringComparer.Ordinal);
                }

                rows[licence.CreditCode] = licence;
            }

            _marks[licence.CreditCode] = licence;
            return Task.CompletedTask;
        }
    }

    public Task<TermPostings> ReadTermAsync(string term, int cap, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var rows = _terms.GetValueOrDefault(term)?.Values.ToList() ?? [];
            return Task.FromResult(new TermPostings([.. rows.Take(cap)], rows.Count <= cap));
        }
    }
}

/// <summary>The change feed in memory, with the same contract as the table: contiguous numbers and one entry per (licence, event).</summary>
internal sealed class InMemoryChangeFeed : IChangeFeedStore
{
    private readonly Lock _gate = new();
    private readonly List<FeedEntry> _entries = [];
    private readonly Dictionary<string, int> _marks = new(StringComparer.Ordinal);
    private long _last;
    private long _floor;

    public IReadOnlyList<FeedEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public Task<FeedEntry?> AppendAsync(CreditCode code, int eventSequence, Func<long, FeedEntry> entry, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_marks.GetValueOrDefault(code.Value) >= eventSequence)
            {
                return Task.FromResult<FeedEntry?>(null);
            }

            var appended = entry(_last + 1);
            _entries.Add(appended);
            _last = appended.Sequence;
            _marks[code.Value] = eventSequence;
            return Task.FromResult<FeedEntry?>(appended);
        }
    }

    public Task<FeedHead> GetHeadAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(new FeedHead(_last, _floor));
        }
    }

    public Task<IReadOnlyList<FeedEntry>> ReadAsync(long after, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<FeedEntry>>([.. _entries.Where(e => e.Sequence > after).Take(limit)]);
        }
    }

    public Task TrimAsync(long upTo, DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var doomed = _entries.TakeWhile(e => e.Sequence <= upTo && e.At < olderThan).ToList();
            if (doomed.Count > 0)
            {
                _floor = doomed[^1].Sequence;
                _entries.RemoveRange(0, doomed.Count);
            }

            return Task.CompletedTask;
        }
    }
}

/// <summary>Register files in memory.</summary>
internal sealed class InMemoryRegisterFiles : IRegisterFileStore
{
    private readonly Dictionary<string, (byte[] Content, RegisterFile File)> _files = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<RegisterFile>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RegisterFile>>([.. _files.Values.Select(f => f.File).OrderBy(f => f.Manifest.LastSequence)]);

    public Task PublishAsync(string name, byte[] content, string manifestJws, CancellationToken cancellationToken)
    {
        Assert.True(CompactJws.TryParse(manifestJws, out var jws, out _));
        var manifest = ElicenceJson.Deserialize<RegisterFileManifest>(jws.Payload)!;
        _files.TryAdd(name, (content, new RegisterFile(manifest, manifestJws)));
        return Task.CompletedTask;
    }

    public Task<byte[]?> ReadAsync(string name, CancellationToken cancellationToken) => Task.FromResult(_files.TryGetValue(name, out var f) ? f.Content : null);
}
