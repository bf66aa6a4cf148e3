using ELicence.Core.Callers;
using ELicence.Core.CreditCodes;
using ELicence.Core.Licences;
using ELicence.Core.StatusLists;
using ELicence.Core.Text;

namespace ELicence.Core.Holders;

/// <summary>
/// The business in control of its licence: the registrar sets the owner key (the legal representative); the owner adds up to
/// <see cref="MaxAdministrators"/> administrators; the owner and administrators add agents with scopes and an expiry of at
/// most a year. Listed keys never show a secret again; a removed or expired key authenticates nobody.
/// </summary>
/// <remarks>
/// As for verifier keys, the key record is written first and listed second under the listing's ETag: a crash in between
/// leaves a key whose secret nobody saw; a lost race or a limit revokes it again. Removal revokes first and lists second,
/// so a crash in between is finished by repeating the request.
/// </remarks>
public sealed class HolderKeyService(IHolderKeyStore store, ApiKeyService apiKeys, LicenceQueries licences, TimeProvider time, IWalletCopyStore? copies = null, IStatusListQueue? statusQueue = null)
{
    /// <summary>As the national e-licence rules allow.</summary>
    public const int MaxAdministrators = 5;

    /// <summary>Keeps a reset (every active key removed at once) within one entity-group transaction.</summary>
    public const int MaxAgents = 50;

    private const int MaxNameLength = 100;
    private const int Attempts = 5;

    /// <summary>The registrar's (re)set of the owner key: every other active key of the licence is removed with the old owner key.</summary>
    public async Task<IssuedHolderKey> ResetOwnerAsync(Caller registrar, string code, NewOwnerKeyRequest? request, CancellationToken cancellationToken)
    {
        var licence = await licences.GetLicenceAsync(registrar, code, cancellationToken);
        var name = request is null ? licence.Details.LegalRepresentative : FreeText.Required("name", request.Name, TextKind.Name, MaxNameLength);
        var issued = await apiKeys.CreateHolderKeyAsync(new HolderKeySpec(licence.Code, name, HolderKind.Owner, [], null), cancellationToken);
        var owner = Listing(issued, HolderKind.Owner, name, [], null, registrar.Name);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var read = await store.ReadAsync(licence.Code, cancellationToken);
            var now = time.GetUtcNow();
            var removed = read.Keys.Where(k => k.RemovedAt is null).Select(k => k with { RemovedAt = now }).ToList();
            foreach (var key in removed)
            {
                await apiKeys.RevokeAsync(key.KeyId, cancellationToken);
            }

            if (await store.TryCommitAsync(read, [.. removed, owner], cancellationToken))
            {
                await WithdrawCopiesAsync(licence.Code, null, cancellationToken); // every person of the licence is gone with the reset
                return new IssuedHolderKey(issued.Key, owner);
            }
        }

        await apiKeys.RevokeAsync(issued.KeyId, CancellationToken.None);
        throw Conflict(licence.Code);
    }

    /// <summary>A new administrator, by the owner; refused with limit-reached beyond <see cref="MaxAdministrators"/>.</summary>
    public async Task<IssuedHolderKey> AddAdministratorAsync(Caller caller, string code, NewAdministratorRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var creditCode = EnsureManager(caller, code, ownerOnly: true);
        var name = FreeText.Required("name", request.Name, TextKind.Name, MaxNameLength);
        return await IssueAsync(caller, new HolderKeySpec(creditCode, name, HolderKind.Administrator, [], null), cancellationToken);
    }

    /// <summary>A new agent, by the owner or an administrator: some scopes, an expiry within a year.</summary>
    public async Task<IssuedHolderKey> AddAgentAsync(Caller caller, string code, NewAgentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var creditCode = EnsureManager(caller, code, ownerOnly: false);
        var errors = new List<FieldError>();
        var name = FreeText.Check(errors, "name", request.Name, TextKind.Name, MaxNameLength);
        if (request.Scopes is not { Count: > 0 } scopes)
        {
            errors.Add(new FieldError("scopes", $"Required: at least one of {string.Join(", ", Enum.GetValues<HolderScope>().Select(HolderGrant.Name))}."));
        }
        else if (scopes.Distinct().Count() != scopes.Count)
        {
            errors.Add(new FieldError("scopes", "Name each scope once."));
        }

        var now = time.GetUtcNow();
        if (request.ExpiresAt is not { } expiresAt)
        {
            errors.Add(new FieldError("expiresAt", "Required: when the agent's key stops working, at most one year from now."));
        }
        else if (expiresAt <= now || expiresAt > now.AddYears(1))
        {
            errors.Add(new FieldError("expiresAt", $"Must be after now and at most one year from now ({now.AddYears(1):O})."));
        }

        if (errors.Count > 0)
        {
            throw ProblemException.Invalid(errors);
        }

        return await IssueAsync(caller, new HolderKeySpec(creditCode, name!, HolderKind.Agent, [.. request.Scopes!], request.ExpiresAt), cancellationToken);
    }

    /// <summary>Every key of the licence, active, expired and removed (never a secret), for the registrar, the owner and administrators.</summary>
    public async Task<HolderKeys> ListAsync(Caller caller, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var creditCode = caller.Role == Role.Registrar
            ? (await licences.GetLicenceAsync(caller, code, cancellationToken)).Code
            : EnsureManager(caller, code, ownerOnly: false);
        return await store.ReadAsync(creditCode, cancellationToken);
    }

    /// <summary>Removes an administrator (owner only) or an agent (owner or administrator); its next request is refused. Removing a removed key changes nothing.</summary>
    public async Task<HolderKey> RemoveAsync(Caller caller, string code, string keyId, CancellationToken cancellationToken)
    {
        var creditCode = EnsureManager(caller, code, ownerOnly: false);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var read = await store.ReadAsync(creditCode, cancellationToken);
            var key = (ApiKeyService.IsWellFormedKeyId(keyId) ? read.Keys.FirstOrDefault(k => k.KeyId == keyId) : null)
                ?? throw ProblemException.NotFound($"Licence {creditCode.Value} has no holder key '{keyId}'.");
            EnsureActing(caller, read);
            if (key.Kind == HolderKind.Owner)
            {
                throw ProblemException.Forbidden("The owner key is replaced by the registrar (a reset), not removed.");
            }

            if (key.Kind == HolderKind.Administrator && caller.HolderKind != HolderKind.Owner)
            {
                throw ProblemException.Forbidden("Only the owner may remove an administrator.");
            }

            await apiKeys.RevokeAsync(key.KeyId, cancellationToken);
            if (key.RemovedAt is not null)
            {
                await WithdrawCopiesAsync(creditCode, key.KeyId, cancellationToken); // a repeated removal finishes one a crash interrupted
                return key;
            }

            var removed = key with { RemovedAt = time.GetUtcNow() };
            if (await store.TryCommitAsync(read, [removed], cancellationToken))
            {
                await WithdrawCopiesAsync(creditCode, key.KeyId, cancellationToken);
                return removed;
            }
        }

        throw Conflict(creditCode);
    }

    /// <summary>Withdraws the wallet copies issued to the person (every copy when <paramref name="keyId"/> is null) and brings the status lists up to date.</summary>
    private async Task WithdrawCopiesAsync(CreditCode code, string? keyId, CancellationToken cancellationToken)
    {
        if (copies is null || statusQueue is null)
        {
            return;
        }

        // A sync even when nothing changed here: a crash after an earlier revocation may have lost its sync.
        await copies.RevokeAsync(code, keyId, time.GetUtcNow(), cancellationToken);
        await statusQueue.EnqueueSyncAsync(code, cancellationToken);
    }

    private async Task<IssuedHolderKey> IssueAsync(Caller caller, HolderKeySpec spec, CancellationToken cancellationToken)
    {
        var read = await store.ReadAsync(spec.Code, cancellationToken);
        EnsureMayAdd(caller, read, spec.Kind);
        var issued = await apiKeys.CreateHolderKeyAsync(spec, cancellationToken);
        var listed = Listing(issued, spec.Kind, spec.PersonName, spec.Scopes, spec.ExpiresAt, caller.Name);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            try
            {
                EnsureMayAdd(caller, read, spec.Kind);
            }
            catch (ProblemException)
            {
                await apiKeys.RevokeAsync(issued.KeyId, CancellationToken.None);
                throw;
            }

            if (await store.TryCommitAsync(read, [listed], cancellationToken))
            {
                return new IssuedHolderKey(issued.Key, listed);
            }

            read = await store.ReadAsync(spec.Code, cancellationToken);
        }

        await apiKeys.RevokeAsync(issued.KeyId, CancellationToken.None);
        throw Conflict(spec.Code);
    }

    private HolderKey Listing(IssuedApiKey issued, HolderKind kind, string name, IReadOnlyList<HolderScope> scopes, DateTimeOffset? expiresAt, string createdBy) =>
        new(issued.KeyId, kind, name, scopes, time.GetUtcNow(), expiresAt, createdBy, null);

    /// <summary>The acting key must still be listed and active (a reset may have removed it since it authenticated), and the limit not reached.</summary>
    private void EnsureMayAdd(Caller caller, HolderKeys read, HolderKind kind)
    {
        EnsureActing(caller, read);
        var now = time.GetUtcNow();
        var (limit, count) = kind == HolderKind.Administrator
            ? (MaxAdministrators, read.Keys.Count(k => k.Kind == HolderKind.Administrator && k.ActiveAt(now)))
            : (MaxAgents, read.Keys.Count(k => k.Kind == HolderKind.Agent && k.RemovedAt is null));
        if (count >= limit)
        {
            var what = kind == HolderKind.Administrator ? "administrators" : "agents";
            throw new ProblemException(
                ProblemType.LimitReached,
                $"Licence {read.Code.Value} has {count} {what}, the most it may have ({limit}). Remove one first.",
                extensions: new Dictionary<string, object?> { ["limit"] = limit });
        }
    }

    private void EnsureActing(Caller caller, HolderKeys read)
    {
        var keyId = caller.Grant?.KeyId;
        if (read.Keys.FirstOrDefault(k => k.KeyId == keyId) is not { } acting || !acting.ActiveAt(time.GetUtcNow()))
        {
            throw ProblemException.Forbidden("This holder key is no longer listed for the licence (removed, expired or replaced by a reset).");
        }
    }

    /// <summary>The caller must be the owner (or, unless <paramref name="ownerOnly"/>, an administrator) of this licence.</summary>
    private static CreditCode EnsureManager(Caller caller, string code, bool ownerOnly)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Role != Role.Holder || caller.HolderOf is not { } creditCode || creditCode.Value != code)
        {
            throw ProblemException.Forbidden("Only the licence's own holder keys manage its administrators and agents.");
        }

        var allowed = caller.HolderKind == HolderKind.Owner || (!ownerOnly && caller.HolderKind == HolderKind.Administrator);
        if (!allowed)
        {
            throw ProblemException.Forbidden(ownerOnly
                ? "Only the owner (the legal representative's key) may manage administrators."
                : "Only the owner and administrators may manage the licence's keys; an agent may not.");
        }

        return creditCode;
    }

    private static ProblemException Conflict(CreditCode code) =>
        new(ProblemType.Conflict, $"The holder keys of licence {code.Value} were changed by others at the same time; try again.");
}
