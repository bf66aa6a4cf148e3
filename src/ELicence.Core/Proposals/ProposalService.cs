using ELicence.Core.KeyManagement;
using ELicence.Core.Callers;
using ELicence.Core.Keys;
using ELicence.Core.Licences;

namespace ELicence.Core.Proposals;

/// <summary>A proposal as the API shows it: what, about what, who proposed and decided, and where it stands now.</summary>
public sealed record ProposalView(
    string Id,
    ProposalKind Kind,
    ProposalState State,
    string? CreditCode,
    string? Kid,
    string Reason,
    DateOnly? EffectiveOn,
    int? LicenceVersion,
    Actor ProposedBy,
    DateTimeOffset ProposedAt,
    DateTimeOffset ExpiresAt,
    Actor? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? DecisionReason,
    string Url)
{
    public static ProposalView Of(Proposal p, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(p);
        var revocation = p.Kind == ProposalKind.Revocation;
        return new(p.Id, p.Kind, p.StateAt(now), revocation ? p.Subject : null, revocation ? null : p.Subject, p.Reason, p.EffectiveOn, p.LicenceVersion,
            p.ProposedBy, p.ProposedAt, p.ExpiresAt, p.DecidedBy, p.DecidedAt, p.DecisionReason, "/api/v1/proposals/" + p.Id);
    }
}

/// <summary>
/// Four-eyes for the two actions no single person may take: revoking a licence and withdrawing a signing key as compromised.
/// One registrar proposes; a second, a supervisor, approves (the action then takes effect, naming both) or rejects with a
/// reason. A proposal expires after <see cref="FourEyesOptions.ProposalLifetime"/>. With four-eyes off, the direct routes act at once.
/// </summary>
public sealed class ProposalService(
    IProposalStore proposals,
    RegistrarActions actions,
    LicenceChangeCommitter committer,
    ILicenceStore licences,
    KeyAdministration keys,
    IKeyRingProvider ring,
    FourEyesOptions options,
    TimeProvider time)
{
    private const int ListLimit = 200;

    /// <summary><c>POST …/revocation</c>: at once when four-eyes is off; otherwise a problem pointing to the proposals.</summary>
    public Task<Licence> RevokeDirectlyAsync(Caller registrar, string code, RevocationRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        EnsureDirectAllowed("revoke a licence", $"/api/v1/licences/{Uri.EscapeDataString(code.Trim())}/revocation-proposals");
        return actions.RevokeAsync(registrar, code, request, ifMatch, cancellationToken);
    }

    /// <summary><c>POST /api/v1/keys/{kid}/compromise</c>: at once when four-eyes is off; otherwise a problem pointing to the proposals.</summary>
    public Task<ReissueProgress> CompromiseDirectlyAsync(string kid, ReasonRequest request, CancellationToken cancellationToken)
    {
        EnsureDirectAllowed("withdraw a signing key as compromised", $"/api/v1/keys/{Uri.EscapeDataString(kid)}/compromise-proposals");
        return keys.CompromiseAsync(kid, request, cancellationToken);
    }

    public async Task<ProposalView> ProposeRevocationAsync(Caller registrar, string code, RevocationRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        ArgumentNullException.ThrowIfNull(request);
        var licence = await committer.LoadAsync(code, ifMatch, LicenceAction.Revoke, cancellationToken);
        var now = time.GetUtcNow();
        var (reason, _) = RegistrarActions.CheckRevocation(request, ChinaTime.DateOf(now));
        await EnsureNoneOpenAsync(ProposalKind.Revocation, licence.Code.Value, now, cancellationToken);
        return await AddAsync(new Proposal(Proposal.NewId(), ProposalKind.Revocation, licence.Code.Value, registrar.Actor, now, now + options.ProposalLifetime,
            reason, request.EffectiveOn, licence.ETag, licence.Version, ProposalState.Pending, null), cancellationToken);
    }

    public async Task<ProposalView> ProposeKeyCompromiseAsync(Caller registrar, string kid, ReasonRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        ArgumentNullException.ThrowIfNull(kid);
        ArgumentNullException.ThrowIfNull(request);
        var reason = RequestText.Reason(request.Reason);
        var key = (await ring.GetAsync(cancellationToken)).Find(kid)
            ?? throw ProblemException.NotFound($"The key ring has no key '{(kid.Length > 100 ? kid[..100] + "…" : kid)}'.");
        var now = time.GetUtcNow();
        await EnsureNoneOpenAsync(ProposalKind.KeyCompromise, key.KeyId, now, cancellationToken);
        return await AddAsync(new Proposal(Proposal.NewId(), ProposalKind.KeyCompromise, key.KeyId, registrar.Actor, now, now + options.ProposalLifetime,
            reason, null, null, null, ProposalState.Pending, null), cancellationToken);
    }

    public async Task<IReadOnlyList<ProposalView>> ListAsync(string? state, CancellationToken cancellationToken)
    {
        ProposalState? wanted = null;
        if (state is not null)
        {
            wanted = Enum.GetValues<ProposalState>().Where(s => LicenceLifecycle.Kebab(s) == state).Select(s => (ProposalState?)s).FirstOrDefault()
                ?? throw ProblemException.Invalid("state", RequestText.OneOf<ProposalState>());
        }

        var now = time.GetUtcNow();
        // Expired proposals are stored as pending: ask the store for pending and tell them apart by the clock.
        var stored = await proposals.ListAsync(wanted == ProposalState.Expired ? ProposalState.Pending : wanted, ListLimit, cancellationToken);
        return [.. stored.Select(p => ProposalView.Of(p, now)).Where(v => wanted is null || v.State == wanted)];
    }

    public async Task<ProposalView> GetAsync(string id, CancellationToken cancellationToken) =>
        ProposalView.Of(await FindAsync(id, cancellationToken), time.GetUtcNow());

    /// <summary>
    /// A supervisor other than the proposer approves: the action takes effect and its history event names both. Refused, with
    /// nothing changed, when the proposal is decided or expired, when the approver proposed it, or when the licence has changed
    /// since it was proposed.
    /// </summary>
    public async Task<ProposalView> ApproveAsync(Caller supervisor, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(supervisor);
        supervisor.EnsureSupervisor("approve a proposal");
        var proposal = await FindAsync(id, cancellationToken);
        EnsureSecondPerson(proposal, supervisor.Actor, "approve");
        var now = time.GetUtcNow();
        // An approval whose action a crash interrupted is carried out again (each action can run twice without effect).
        var resuming = proposal.StoredState == ProposalState.Approved && !proposal.Completed;
        if (!resuming)
        {
            EnsurePending(proposal, now);
            if (proposal.Kind == ProposalKind.Revocation)
            {
                await EnsureLicenceUnchangedAsync(proposal, cancellationToken);
            }

            proposal = await proposals.TryReplaceAsync(proposal with { StoredState = ProposalState.Approved, DecidedBy = supervisor.Actor, DecidedAt = now }, cancellationToken)
                ?? throw ChangedMeanwhile(proposal);
        }

        try
        {
            await CarryOutAsync(proposal, cancellationToken);
        }
        catch (ProblemException) when (!resuming)
        {
            // The action was refused (the licence changed in the instant since the check): the proposal stays pending.
            await proposals.TryReplaceAsync(proposal with { StoredState = ProposalState.Pending, DecidedBy = null, DecidedAt = null }, cancellationToken);
            throw;
        }

        var completed = await proposals.TryReplaceAsync(proposal with { Completed = true }, cancellationToken) ?? proposal;
        return ProposalView.Of(completed, now);
    }

    /// <summary>A supervisor other than the proposer rejects with a reason: nothing takes effect, and the proposal is closed.</summary>
    public async Task<ProposalView> RejectAsync(Caller supervisor, string id, ReasonRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(supervisor);
        ArgumentNullException.ThrowIfNull(request);
        supervisor.EnsureSupervisor("reject a proposal");
        var reason = RequestText.Reason(request.Reason);
        var proposal = await FindAsync(id, cancellationToken);
        EnsureSecondPerson(proposal, supervisor.Actor, "reject");
        var now = time.GetUtcNow();
        EnsurePending(proposal, now);
        var rejected = await proposals.TryReplaceAsync(
            proposal with { StoredState = ProposalState.Rejected, DecidedBy = supervisor.Actor, DecidedAt = now, DecisionReason = reason, Completed = true },
            cancellationToken) ?? throw ChangedMeanwhile(proposal);
        return ProposalView.Of(rejected, now);
    }

    private async Task CarryOutAsync(Proposal proposal, CancellationToken cancellationToken)
    {
        switch (proposal.Kind)
        {
            case ProposalKind.Revocation:
                var code = committer.ParseCode(proposal.Subject);
                var history = await licences.GetHistoryAsync(code, cancellationToken);
                if (history.Any(e => e.Approval?.ProposalId == proposal.Id))
                {
                    return; // committed before a crash lost the proposal's completion
                }

                await actions.RevokeAsync(proposal.DecidedBy!, proposal.Subject, new RevocationRequest(proposal.Reason, proposal.EffectiveOn), proposal.LicenceETag,
                    new EventApproval(proposal.Id, proposal.ProposedBy, proposal.ProposedAt), cancellationToken);
                return;
            case ProposalKind.KeyCompromise:
                await keys.CompromiseAsync(proposal.Subject, new ReasonRequest($"{proposal.Reason} (proposed by {proposal.ProposedBy.Name}, approved by {proposal.DecidedBy!.Name}, {proposal.Id})"), cancellationToken);
                return;
            default:
                throw new InvalidDataException($"Proposal {proposal.Id} is of an unknown kind.");
        }
    }

    /// <summary>The licence as the proposer saw it, or a 412 naming what changed it meanwhile and who.</summary>
    private async Task EnsureLicenceUnchangedAsync(Proposal proposal, CancellationToken cancellationToken)
    {
        var code = committer.ParseCode(proposal.Subject);
        var licence = await licences.GetCurrentAsync(code, cancellationToken);
        if (proposal.LicenceETag is not null && ETags.Matches(proposal.LicenceETag, licence.ETag))
        {
            return;
        }

        var history = await licences.GetHistoryAsync(code, cancellationToken);
        var last = history.Count == 0 ? null : history[^1];
        throw new ProblemException(
            ProblemType.PreconditionFailed,
            $"Licence {code} has changed since this revocation was proposed (it was version {proposal.LicenceVersion}, event {last?.Sequence}: '{last?.Type}' by {last?.ActorName} at {last?.At:O}); "
            + "nothing was changed. Reject this proposal and propose again on the licence as it is now.",
            extensions: new Dictionary<string, object?> { ["currentVersion"] = licence.Version, ["changedBy"] = last?.ActorName, ["lastEvent"] = last?.Type });
    }

    private void EnsureDirectAllowed(string what, string proposalsUrl)
    {
        if (options.Enabled)
        {
            throw new ProblemException(
                ProblemType.FourEyesRequired,
                $"To {what}, propose it at {proposalsUrl}; it takes effect when a supervisor other than the proposer approves it at /api/v1/proposals/{{id}}/approval.",
                extensions: new Dictionary<string, object?> { ["proposals"] = proposalsUrl });
        }
    }

    private static void EnsureSecondPerson(Proposal proposal, Actor decider, string verb)
    {
        if (proposal.ProposedBy.IsSameAs(decider))
        {
            throw ProblemException.Forbidden($"{proposal.ProposedBy.Name} proposed {proposal.Id}; a different person must {verb} it (four-eyes).");
        }
    }

    private static void EnsurePending(Proposal proposal, DateTimeOffset now)
    {
        var state = proposal.StateAt(now);
        if (state != ProposalState.Pending)
        {
            var detail = state switch
            {
                ProposalState.Expired => $"Proposal {proposal.Id} expired at {proposal.ExpiresAt:O} undecided; propose again.",
                _ => $"Proposal {proposal.Id} was already {LicenceLifecycle.Kebab(state)} by {proposal.DecidedBy?.Name} at {proposal.DecidedAt:O}.",
            };
            throw new ProblemException(ProblemType.ProposalClosed, detail, extensions: new Dictionary<string, object?> { ["state"] = LicenceLifecycle.Kebab(state) });
        }
    }

    private async Task EnsureNoneOpenAsync(ProposalKind kind, string subject, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = (await proposals.ListAsync(ProposalState.Pending, ListLimit, cancellationToken))
            .FirstOrDefault(p => p.Kind == kind && p.Subject == subject && p.StateAt(now) == ProposalState.Pending);
        if (open is not null)
        {
            throw new ProblemException(
                ProblemType.Conflict,
                $"{open.ProposedBy.Name} already proposed this at {open.ProposedAt:O} ({open.Id}); a supervisor decides that one first.",
                extensions: new Dictionary<string, object?> { ["proposal"] = "/api/v1/proposals/" + open.Id });
        }
    }

    private async Task<ProposalView> AddAsync(Proposal proposal, CancellationToken cancellationToken)
    {
        await proposals.AddAsync(proposal, cancellationToken);
        return ProposalView.Of(proposal, time.GetUtcNow());
    }

    private async Task<Proposal> FindAsync(string id, CancellationToken cancellationToken) =>
        (Proposal.IsWellFormedId(id) ? await proposals.FindAsync(id, cancellationToken) : null)
            ?? throw ProblemException.NotFound($"There is no proposal '{(id.Length > 40 ? id[..40] + "…" : id)}'.");

    private static ProblemException ChangedMeanwhile(Proposal proposal) =>
        new(ProblemType.Conflict, $"Proposal {proposal.Id} was decided by someone else at the same time; read it again.");
}
