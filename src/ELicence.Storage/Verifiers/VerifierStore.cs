using Azure;
using Azure.Data.Tables;
using ELicence.Core.Verifiers;

namespace ELicence.Storage.Verifiers;

/// <summary>
/// Table <c>verifiers</c>, one partition per organisation (its id, checked by <see cref="VerifierOrganisation.IsWellFormedId"/>):
/// the organisation row and one row per key (<c>key-{keyId}</c>). A key change replaces the organisation row under its ETag in
/// the same entity-group transaction, so two concurrent changes cannot both pass the active-key limit. An Entra client id
/// linked to an organisation has its own row, partition <c>entra-{clientId}</c>, naming the organisation (one client, one organisation).
/// </summary>
public sealed class VerifierStore(StorageClients storage) : IVerifierStore
{
    private const string OrganisationRow = "organisation";
    private const string KeyRowPrefix = "key-";
    private const string KeyRowEnd = "key.";
    private const string EntraClientPartitionPrefix = "entra-";
    private const string EntraClientRow = "client";
    private readonly TableClient _table = storage.Table(StorageNames.VerifiersTable);

    public Task<bool> TryAddAsync(VerifierOrganisation organisation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        return _table.TryAddAsync(ToEntity(organisation), cancellationToken);
    }

    public async Task<VerifierOrganisation?> FindAsync(string id, CancellationToken cancellationToken) =>
        VerifierOrganisation.IsWellFormedId(id) && await _table.FindAsync<TableEntity>(id, OrganisationRow, cancellationToken) is { } e ? FromEntity(e) : null;

    public async Task<string> ClaimEntraClientAsync(string clientId, string organisationId, CancellationToken cancellationToken)
    {
        var claim = new TableEntity(EntraClientPartitionPrefix + Checked(clientId), EntraClientRow) { ["OrganisationId"] = organisationId };
        if (await _table.TryAddAsync(claim, cancellationToken))
        {
            return organisationId;
        }

        var existing = await _table.FindAsync<TableEntity>(claim.PartitionKey, EntraClientRow, cancellationToken)
            ?? throw new InvalidOperationException($"The claim of Entra client {clientId} vanished.");
        return existing.GetString("OrganisationId");
    }

    public async Task<VerifierOrganisation?> FindByEntraClientAsync(string clientId, CancellationToken cancellationToken)
    {
        var claim = await _table.FindAsync<TableEntity>(EntraClientPartitionPrefix + Checked(clientId), EntraClientRow, cancellationToken);
        // A claim whose organisation was never written (a crash between the two writes) links nobody.
        return claim?.GetString("OrganisationId") is { } id && await FindAsync(id, cancellationToken) is { } organisation && organisation.EntraClientId == clientId
            ? organisation
            : null;
    }

    public async Task<IReadOnlyList<VerifierOrganisation>> ListAsync(CancellationToken cancellationToken)
    {
        var organisations = new List<VerifierOrganisation>();
        await foreach (var e in _table.QueryAsync<TableEntity>(e => e.RowKey == OrganisationRow, cancellationToken: cancellationToken))
        {
            organisations.Add(FromEntity(e));
        }

        return organisations;
    }

    public async Task<VerifierKeys?> FindKeysAsync(string organisationId, CancellationToken cancellationToken)
    {
        if (!VerifierOrganisation.IsWellFormedId(organisationId))
        {
            return null;
        }

        TableEntity? organisation = null;
        var keys = new List<VerifierKey>();
        await foreach (var e in _table.QueryAsync<TableEntity>(e => e.PartitionKey == organisationId, cancellationToken: cancellationToken))
        {
            if (e.RowKey == OrganisationRow)
            {
                organisation = e;
            }
            else if (string.CompareOrdinal(e.RowKey, KeyRowPrefix) >= 0 && string.CompareOrdinal(e.RowKey, KeyRowEnd) < 0)
            {
                keys.Add(new VerifierKey(e.RowKey[KeyRowPrefix.Length..], e.GetDateTimeOffset("CreatedAt") ?? default, e.GetDateTimeOffset("RevokedAt")));
            }
        }

        return organisation is null ? null : new VerifierKeys(FromEntity(organisation), [.. keys.OrderBy(k => k.CreatedAt)], organisation.ETag.ToString());
    }

    public Task<bool> TryAddKeyAsync(VerifierKeys read, VerifierKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(key);
        return CommitAsync(read, new(TableTransactionActionType.Add, ToEntity(read.Organisation.Id, key)), cancellationToken);
    }

    public Task<bool> TryRevokeKeyAsync(VerifierKeys read, VerifierKey revoked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(revoked);
        return CommitAsync(read, new(TableTransactionActionType.UpdateReplace, ToEntity(read.Organisation.Id, revoked), ETag.All), cancellationToken);
    }

    /// <summary>The key row's change, together with a replace of the organisation row under the ETag it was read at.</summary>
    private async Task<bool> CommitAsync(VerifierKeys read, TableTransactionAction keyChange, CancellationToken cancellationToken)
    {
        var organisation = ToEntity(read.Organisation);
        organisation["ActiveKeys"] = read.ActiveCount + (keyChange.ActionType == TableTransactionActionType.Add ? 1 : -1);
        try
        {
            await _table.SubmitTransactionAsync(
                [new(TableTransactionActionType.UpdateReplace, organisation, new ETag(read.ETag)), keyChange],
                cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 409 or 404)
        {
            return false;
        }
    }

    private static TableEntity ToEntity(VerifierOrganisation o) => new(o.Id, OrganisationRow)
    {
        ["Name"] = o.Name,
        ["Kind"] = o.Kind.ToString(),
        ["CreatedAt"] = o.CreatedAt,
        ["EntraClientId"] = o.EntraClientId,
    };

    private static VerifierOrganisation FromEntity(TableEntity e) =>
        new(e.PartitionKey, e.GetString("Name"), Enum.Parse<VerifierKind>(e.GetString("Kind")), e.GetDateTimeOffset("CreatedAt") ?? default, e.GetString("EntraClientId"));

    /// <summary>Only canonical client ids (a GUID: key-safe by construction) become partition keys.</summary>
    private static string Checked(string clientId) =>
        VerifierOrganisation.CanonicalClientId(clientId) == clientId ? clientId : throw new ArgumentException("Not a canonical Entra client id.", nameof(clientId));

    private static TableEntity ToEntity(string organisationId, VerifierKey key) => new(organisationId, KeyRowPrefix + key.KeyId)
    {
        ["CreatedAt"] = key.CreatedAt,
        ["RevokedAt"] = key.RevokedAt,
    };
}
