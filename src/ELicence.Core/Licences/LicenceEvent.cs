using ELicence.Core.Callers;

namespace ELicence.Core.Licences;

/// <summary>One field that a change altered, as text before and after.</summary>
public sealed record FieldChange(string Field, string? From, string? To);

/// <summary>For a change that took effect on approval (four-eyes): which proposal, who proposed it and when; the event's actor approved it.</summary>
public sealed record EventApproval(string ProposalId, Actor ProposedBy, DateTimeOffset ProposedAt);

/// <summary>An entry of a licence's append-only history: who did what, when, what changed, and why.</summary>
/// <remarks><see cref="ActorId"/> is an <see cref="Actor"/>'s id (<c>key:…</c>, <c>oidc:…</c>, <c>system:…</c>); older events name the key's principal.</remarks>
public sealed record LicenceEvent(
    int Sequence,
    string Type,
    DateTimeOffset At,
    string ActorId,
    string ActorName,
    int Version,
    LicenceStatus? StatusBefore,
    LicenceStatus StatusAfter,
    IReadOnlyList<FieldChange> Changes,
    string? Reason)
{
    /// <summary>How the actor proved who it is, read from the id's prefix.</summary>
    public ActorKind ActorKind => Actor.KindOfId(ActorId);

    /// <summary>Set when the change needed a second person: the proposer (the actor above approved).</summary>
    public EventApproval? Approval { get; init; }
}
