namespace ELicence.Core.Licences;

/// <summary>Where an objection to a deregistration notice stands.</summary>
public enum ObjectionStatus
{
    /// <summary>Lodged; the registrar has not decided yet. The notice is under review meanwhile.</summary>
    UnderReview,

    /// <summary>The registrar upheld it: simplified deregistration ended and the licence is active.</summary>
    Sustained,

    /// <summary>The registrar rejected it: the notice goes on (or, past its end, finalisation follows).</summary>
    Dismissed,

    /// <summary>Another objection to the same notice was sustained, or the notice ended otherwise, before this one was decided.</summary>
    Closed,

    /// <summary>
    /// Received while the registrar already had the most objections under review at once; it holds the notice like one under
    /// review and moves up, in order of arrival, as the registrar decides the ones ahead of it.
    /// </summary>
    Queued,
}

/// <summary>The registrar's decision on an objection.</summary>
public enum ObjectionOutcome
{
    Sustained,
    Dismissed,
}

/// <summary>
/// An objection to a deregistration notice. The objector's name and contact are personal data: shown to the registrar only,
/// never in the history, the notice list or a verification.
/// </summary>
public sealed record Objection(string Id, string Name, string Contact, string Grounds, DateTimeOffset LodgedAt, ObjectionStatus Status, ObjectionDecision? Decision)
{
    /// <summary>Not decided yet: under review or queued for review.</summary>
    public bool IsUndecided => Status is ObjectionStatus.UnderReview or ObjectionStatus.Queued;
}

/// <summary>Who decided an objection, when, how and why.</summary>
public sealed record ObjectionDecision(ObjectionOutcome Outcome, string Reason, string DecidedBy, DateTimeOffset DecidedAt);

/// <summary>An objection to a deregistration notice, by anyone: who, how to reach them, and the grounds.</summary>
public sealed record ObjectionRequest(string? Name, string? Contact, string? Grounds);

/// <summary>The registrar's decision on an objection, and why.</summary>
public sealed record ObjectionDecisionRequest(ObjectionOutcome? Outcome, string? Reason);
