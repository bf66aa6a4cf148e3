using ELicence.Core.Licences;

namespace ELicence.Core.Applications;

public enum ApplicationStatus
{
    Pending,
    Issued,
    Failed,
}

/// <summary>A registration application on its way to a licence. <see cref="ETag"/> guards every update.</summary>
public sealed record LicenceApplication(
    string Id,
    LicenceDetails Details,
    ApplicationStatus Status,
    string SubmittedBy,
    DateTimeOffset SubmittedAt,
    bool Queued,
    string? CreditCode,
    DateTimeOffset? IssuedAt,
    int FailedAttempts,
    string? LastError,
    string? FailureReason,
    string? ETag)
{
    /// <summary>The submitting registrar's name, so the licence's first history event names its actor like every later one.</summary>
    public string? SubmittedByName { get; init; }

    private const string IdPrefix = "app_";

    public static string NewId() => ResourceIds.New(IdPrefix);

    public static bool IsWellFormedId(string? id) => ResourceIds.IsWellFormed(id, IdPrefix);
}

public interface IApplicationStore
{
    /// <summary>Adds the application and returns it as stored (with its ETag); null when one with that id exists already.</summary>
    Task<LicenceApplication?> TryAddAsync(LicenceApplication application, CancellationToken cancellationToken);

    Task<LicenceApplication?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Replaces the application if its ETag still matches; false when someone else changed it first.</summary>
    Task<bool> TryUpdateAsync(LicenceApplication application, CancellationToken cancellationToken);
}

/// <summary>Queue of applications waiting to be issued.</summary>
public interface IIssuanceQueue
{
    Task EnqueueAsync(string applicationId, CancellationToken cancellationToken);
}

/// <summary>The message of the issuance queue.</summary>
public sealed record IssueLicenceMessage(string ApplicationId)
{
    /// <summary>The message's application id, or null when the message is not one.</summary>
    public static string? TryParse(string message) =>
        QueueMessages.TryRead<IssueLicenceMessage>(message)?.ApplicationId is { } id && LicenceApplication.IsWellFormedId(id) ? id : null;
}

/// <summary>An Idempotency-Key as first used: by whom, with which request (its hash) and what it created.</summary>
public sealed record IdempotencyRecord(string CallerId, string Key, string RequestHash, string ResourceId, DateTimeOffset CreatedAt);

public interface IIdempotencyStore
{
    /// <summary>Records the key unless it is recorded already; returns the record that is stored.</summary>
    Task<IdempotencyRecord> GetOrAddAsync(IdempotencyRecord candidate, CancellationToken cancellationToken);
}
