using System.Globalization;
using ELicence.Core.Verifiers;

namespace ELicence.Core.UnitTests.Fakes;

/// <summary>Verifier organisations and their key listings, with an ETag per organisation as the table's organisation row has.</summary>
internal sealed class InMemoryVerifierStore : IVerifierStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (VerifierOrganisation Organisation, List<VerifierKey> Keys, string ETag)> _organisations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _entraClients = new(StringComparer.Ordinal);
    private int _etags;

    /// <summary>Runs once before the next key change is committed, as a concurrent request would.</summary>
    public Func<Task>? BeforeNextKeyChange { get; set; }

    public Task<bool> TryAddAsync(VerifierOrganisation organisation, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_organisations.TryAdd(organisation.Id, (organisation, [], NewETag())));
        }
    }

    public Task<VerifierOrganisation?> FindAsync(string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_organisations.TryGetValue(id, out var o) ? o.Organisation : null);
        }
    }

    public Task<string> ClaimEntraClientAsync(string clientId, string organisationId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _entraClients.TryAdd(clientId, organisationId);
            return Task.FromResult(_entraClients[clientId]);
        }
    }

    public Task<VerifierOrganisation?> FindByEntraClientAsync(string clientId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_entraClients.TryGetValue(clientId, out var id) && _organisations.TryGetValue(id, out var o) && o.Organisation.EntraClientId == clientId
                ? o.Organisation
                : null);
        }
    }

    public Task<IReadOnlyList<VerifierOrganisation>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<VerifierOrganisation>>([.. _organisations.Values.Select(o => o.Organisation)]);
        }
    }

    public Task<VerifierKeys?> FindKeysAsync(string organisationId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_organisations.TryGetValue(organisationId, out var o) ? new VerifierKeys(o.Organisation, [.. o.Keys], o.ETag) : null);
        }
    }

    public Task<bool> TryAddKeyAsync(VerifierKeys read, VerifierKey key, CancellationToken cancellationToken) =>
        CommitAsync(read, keys => keys.Add(key));

    public Task<bool> TryRevokeKeyAsync(VerifierKeys read, VerifierKey revoked, CancellationToken cancellationToken) =>
        CommitAsync(read, keys => keys[keys.FindIndex(k => k.KeyId == revoked.KeyId)] = revoked);

    private async Task<bool> CommitAsync(VerifierKeys read, Action<List<VerifierKey>> change)
    {
        if (BeforeNextKeyChange is { } concurrent)
        {
            BeforeNextKeyChange = null;
            await concurrent();
        }

        lock (_gate)
        {
            var current = _organisations[read.Organisation.Id];
            if (current.ETag != read.ETag)
            {
                return false;
            }

            change(current.Keys);
            _organisations[read.Organisation.Id] = current with { ETag = NewETag() };
            return true;
        }
    }

    private string NewETag() => "v" + Interlocked.Increment(ref _etags).ToString(CultureInfo.InvariantCulture);
}
