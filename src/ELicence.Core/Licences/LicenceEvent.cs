namespace ELicence.Core.Licences;

/// <summary>One field that a change altered, as text before and after.</summary>
public sealed record FieldChange(string Field, string? From, string? To);

/// <summary>An entry of a licence's append-only history: who did what, when, what changed, and why.</summary>
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
    string? Reason);
