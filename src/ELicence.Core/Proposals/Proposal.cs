using ELicence.Core.Callers;

namespace ELicence.Core.Proposals;

/// <summary>What a proposal would do once a supervisor approves it.</summary>
public enum ProposalKind
{
    /// <summary>Revoke a licence (吊销营业执照); the subject is its credit code.</summary>
    Revocation,

    /// <summary>Withdraw a signing key as compromised and re-issue what it signed; the subject is its kid.</summary>
    KeyCompromise,
}

/// <summary>Where a proposal stands. An undecided proposal past its expiry is <see cref="Expired"/>, whatever is stored.</summary>
public enum ProposalState
{
    Pending,
    Approved,
    Rejected,
    Expired,
}

/// <summary>
/// A four-eyes proposal: one person proposes an action that only a second person, a supervisor, can make take effect.
/// It keeps what was proposed as it was sent (reason, effective date) and, for a revocation, the licence's ETag then, so an
/// approval of a licence changed meanwhile is refused rather than applied to something the proposer never saw.
/// </summary>
public sealed record Proposal(
    string Id,
    ProposalKind Kind,
    string Subject,
    Actor ProposedBy,
    DateTimeOffset ProposedAt,
    DateTimeOffset ExpiresAt,
    string Reason,
    DateOnly? EffectiveOn,
    string? LicenceETag,
    int? LicenceVersion,
    ProposalState StoredState,
    string? ETag)
{
    public const string IdPrefix = "prp_";

    public Actor? DecidedBy { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>A rejection's reason.</summary>
    public string? DecisionReason { get; init; }

    /// <summary>Set once an approved proposal's action has been carried out (a crash between the two is resumed by approving again).</summary>
    public bool Completed { get; init; }

    public static string NewId() => ResourceIds.New(IdPrefix);

    public static bool IsWellFormedId(string? id) => ResourceIds.IsWellFormed(id, IdPrefix);

    public ProposalState StateAt(DateTimeOffset now) => StoredState == ProposalState.Pending && now >= ExpiresAt ? ProposalState.Expired : StoredState;
}

/// <summary>Where proposals are kept (Table Storage in this service).</summary>
public interface IProposalStore
{
    Task AddAsync(Proposal proposal, CancellationToken cancellationToken);

    Task<Proposal?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Replaces the proposal if it is unchanged since it was read (its ETag); null when someone else changed it first.</summary>
    Task<Proposal?> TryReplaceAsync(Proposal proposal, CancellationToken cancellationToken);

    /// <summary>Proposals with this stored state (all when null), newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<Proposal>> ListAsync(ProposalState? storedState, int limit, CancellationToken cancellationToken);
}
