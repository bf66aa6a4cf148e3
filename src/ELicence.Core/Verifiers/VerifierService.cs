using ELicence.Core.Applications;
using ELicence.Core.Callers;
using ELicence.Core.Problems;
using ELicence.Core.Text;

namespace ELicence.Core.Verifiers;

/// <summary>Onboarding verifier organisations and managing their keys: at most <see cref="MaxActiveKeys"/> active at once, so a verifier rotates without downtime.</summary>
public sealed class VerifierService(IVerifierStore verifiers, ApiKeyService apiKeys, IIdempotencyStore idempotency, TimeProvider time)
{
    /// <summary>Two: the key in use and its successor during a rotation.</summary>
    public const int MaxActiveKeys = 2;

    private const int MaxNameLength = 200;
    private const int Attempts = 5;

    /// <summary>Onboards an organisation; with an <c>Idempotency-Key</c> (scoped to <paramref name="caller"/>) a repeated request returns the same one.</summary>
    public async Task<VerifierOrganisation> CreateAsync(Caller caller, NewVerifierRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<FieldError>();
        var name = FreeText.Check(errors, "name", request.Name, TextKind.Name, MaxNameLength);
        if (request.Kind is null)
        {
            errors.Add(new FieldError("kind", "Required: one of bank, tendering-platform, government, other."));
        }

        var clientId = VerifierOrganisation.CanonicalClientId(request.EntraClientId);
        if (request.EntraClientId is not null && clientId is null)
        {
            errors.Add(new FieldError("entraClientId", "An Entra ID application (client) id: a GUID such as 00000000-0000-0000-0000-000000000000."));
        }

        if (errors.Count > 0)
        {
            throw ProblemException.Invalid(errors);
        }

        var validated = new NewVerifierRequest(name, request.Kind, clientId);
        var id = idempotencyKey is null
            ? VerifierOrganisation.NewId()
            : await IdempotencyKeys.ClaimAsync(idempotency, caller.Id, idempotencyKey, validated, VerifierOrganisation.NewId(), time.GetUtcNow(), cancellationToken);
        if (clientId is not null && await verifiers.ClaimEntraClientAsync(clientId, id, cancellationToken) is var holder && holder != id)
        {
            throw new ProblemException(
                ProblemType.Conflict,
                $"The Entra client id {clientId} already belongs to verifier {holder}; one client acts as one organisation.",
                [new FieldError("entraClientId", "Already linked to another verifier organisation.")]);
        }

        // A repeated request finds the organisation its first attempt created (or finishes creating it).
        return await EnsureAsync(new VerifierOrganisation(id, name!, request.Kind!.Value, time.GetUtcNow(), clientId), cancellationToken);
    }

    /// <summary>The organisation an Entra client acts as, or null when no organisation is linked to it (or it is not a client id).</summary>
    public Task<VerifierOrganisation?> FindByEntraClientAsync(string? clientId, CancellationToken cancellationToken) =>
        VerifierOrganisation.CanonicalClientId(clientId) is { } id ? verifiers.FindByEntraClientAsync(id, cancellationToken) : Task.FromResult<VerifierOrganisation?>(null);

    /// <summary>The organisation with this id, created as given if it does not exist yet (for fixed, well-known organisations such as the local demo ones).</summary>
    public async Task<VerifierOrganisation> EnsureAsync(VerifierOrganisation organisation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        if (!VerifierOrganisation.IsWellFormedId(organisation.Id))
        {
            throw new ArgumentException("Not a verifier id.", nameof(organisation));
        }

        return await verifiers.TryAddAsync(organisation, cancellationToken)
            ? organisation
            : await verifiers.FindAsync(organisation.Id, cancellationToken) ?? throw new InvalidOperationException($"Verifier {organisation.Id} vanished.");
    }

    public async Task<VerifierOrganisation> GetAsync(string id, CancellationToken cancellationToken) =>
        (VerifierOrganisation.IsWellFormedId(id) ? await verifiers.FindAsync(id, cancellationToken) : null)
            ?? throw ProblemException.NotFound($"There is no verifier '{id}'.");

    public Task<IReadOnlyList<VerifierOrganisation>> ListAsync(CancellationToken cancellationToken) => verifiers.ListAsync(cancellationToken);

    public async Task<VerifierKeys> ListKeysAsync(string id, CancellationToken cancellationToken) =>
        (VerifierOrganisation.IsWellFormedId(id) ? await verifiers.FindKeysAsync(id, cancellationToken) : null)
            ?? throw ProblemException.NotFound($"There is no verifier '{id}'.");

    /// <summary>A new key for the organisation, shown once; refused with limit-reached when it has <see cref="MaxActiveKeys"/> active keys.</summary>
    /// <remarks>
    /// The key record is written first and listed second, under the organisation's ETag: a crash in between leaves a key
    /// whose secret nobody ever saw; a lost race or the limit revokes it again.
    /// </remarks>
    public async Task<IssuedApiKey> IssueKeyAsync(string id, CancellationToken cancellationToken)
    {
        var read = await ListKeysAsync(id, cancellationToken);
        EnsureBelowLimit(read);
        var issued = await apiKeys.CreateVerifierKeyAsync(read.Organisation.Id, read.Organisation.Name, read.Organisation.Kind, cancellationToken);
        var listed = new VerifierKey(issued.KeyId, time.GetUtcNow(), null);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            try
            {
                EnsureBelowLimit(read);
            }
            catch (ProblemException)
            {
                await apiKeys.RevokeAsync(issued.KeyId, CancellationToken.None);
                throw;
            }

            if (await verifiers.TryAddKeyAsync(read, listed, cancellationToken))
            {
                return issued;
            }

            read = await ListKeysAsync(id, cancellationToken);
        }

        await apiKeys.RevokeAsync(issued.KeyId, CancellationToken.None);
        throw new ProblemException(ProblemType.Conflict, $"The keys of verifier {id} were changed by others at the same time; try again.");
    }

    /// <summary>Revokes one of the organisation's keys; its next request is refused. Revoking a revoked key changes nothing.</summary>
    public async Task<VerifierKey> RevokeKeyAsync(string id, string keyId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var read = await ListKeysAsync(id, cancellationToken);
            var key = (ApiKeyService.IsWellFormedKeyId(keyId) ? read.Keys.FirstOrDefault(k => k.KeyId == keyId) : null)
                ?? throw ProblemException.NotFound($"Verifier {id} has no key '{keyId}'.");
            // The key stops authenticating first; the listing follows (a crash in between is finished by repeating the request).
            await apiKeys.RevokeAsync(key.KeyId, cancellationToken);
            if (!key.Active)
            {
                return key;
            }

            var revoked = key with { RevokedAt = time.GetUtcNow() };
            if (await verifiers.TryRevokeKeyAsync(read, revoked, cancellationToken))
            {
                return revoked;
            }
        }

        throw new ProblemException(ProblemType.Conflict, $"The keys of verifier {id} were changed by others at the same time; try again.");
    }

    private static void EnsureBelowLimit(VerifierKeys keys)
    {
        if (keys.ActiveCount >= MaxActiveKeys)
        {
            throw new ProblemException(
                ProblemType.LimitReached,
                $"Verifier {keys.Organisation.Id} has {keys.ActiveCount} active keys, the most it may have at once ({MaxActiveKeys}: one in use and one to rotate to). Revoke one first.",
                extensions: new Dictionary<string, object?> { ["limit"] = MaxActiveKeys });
        }
    }
}
