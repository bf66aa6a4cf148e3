using ELicence.Core.Proposals;

namespace ELicence.Storage.Proposals;

/// <summary>
/// Table <c>proposals</c>: one partition (a bureau makes a handful a day), row key the proposal id (a UUIDv7, so ids sort by
/// time), the proposal as JSON beside its stored state for the pending list. Updates are guarded by the row's ETag.
/// </summary>
public sealed class ProposalStore(StorageClients storage) : IProposalStore
{
    private const string Partition = "proposals";
    private readonly TableClient _table = storage.Table(StorageNames.ProposalsTable);

    public async Task AddAsync(Proposal proposal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        await _table.AddEntityAsync(ToEntity(proposal), cancellationToken);
    }

    public async Task<Proposal?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!Proposal.IsWellFormedId(id))
        {
            return null; // only ids this service made reach the table
        }

        var e = await _table.FindAsync<TableEntity>(Partition, id, cancellationToken);
        return e is null ? null : FromEntity(e);
    }

    public async Task<Proposal?> TryReplaceAsync(Proposal proposal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        try
        {
            var response = await _table.UpdateEntityAsync(ToEntity(proposal), new ETag(proposal.ETag!), TableUpdateMode.Replace, cancellationToken);
            return proposal with { ETag = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<Proposal>> ListAsync(ProposalState? storedState, int limit, CancellationToken cancellationToken)
    {
        var state = storedState?.ToString();
        var found = new List<Proposal>();
        var query = state is null
            ? _table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken)
            : _table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition && e.GetString("State") == state, cancellationToken: cancellationToken);
        await foreach (var e in query)
        {
            found.Add(FromEntity(e));
        }

        return [.. found.OrderByDescending(p => p.ProposedAt).Take(limit)];
    }

    private static TableEntity ToEntity(Proposal p) => new(Partition, p.Id)
    {
        ["State"] = p.StoredState.ToString(),
        ["Proposal"] = ElicenceJson.Serialize(p with { ETag = null }),
    };

    private static Proposal FromEntity(TableEntity e) =>
        (ElicenceJson.Deserialize<Proposal>(e.GetString("Proposal")) ?? throw new InvalidDataException($"Proposal {e.RowKey} is empty.")) with { ETag = e.ETag.ToString() };
}
