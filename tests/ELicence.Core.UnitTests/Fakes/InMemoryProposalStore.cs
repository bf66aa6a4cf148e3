using System.Collections.Concurrent;
using ELicence.Core.Proposals;

namespace ELicence.Core.UnitTests.Fakes;

/// <summary>Proposals in memory with the Table store's semantics: a replace commits only under the ETag it was read with.</summary>
internal sealed class InMemoryProposalStore : IProposalStore
{
    private readonly ConcurrentDictionary<string, Proposal> _rows = new(StringComparer.Ordinal);
    private int _etag;

    public Task AddAsync(Proposal proposal, CancellationToken cancellationToken)
    {
        if (!_rows.TryAdd(proposal.Id, proposal with { ETag = NewETag() }))
        {
            throw new InvalidOperationException($"Proposal {proposal.Id} exists.");
        }

        return Task.CompletedTask;
    }

    public Task<Proposal?> FindAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_rows.GetValueOrDefault(id));

    public Task<Proposal?> TryReplaceAsync(Proposal proposal, CancellationToken cancellationToken)
    {
        lock (_rows)
        {
            if (!_rows.TryGetValue(proposal.Id, out var stored) || stored.ETag != proposal.ETag)
            {
                return Task.FromResult<Proposal?>(null);
            }

            var replaced = proposal with { ETag = NewETag() };
            _rows[proposal.Id] = replaced;
            return Task.FromResult<Proposal?>(replaced);
        }
    }

    public Task<IReadOnlyList<Proposal>> ListAsync(ProposalState? storedState, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Proposal>>([.. _rows.Values.Where(p => storedState is null || p.StoredState == storedState).OrderByDescending(p => p.ProposedAt).Take(limit)]);

    private string NewETag() => "W/\"" + Interlocked.Increment(ref _etag) + "\"";
}
