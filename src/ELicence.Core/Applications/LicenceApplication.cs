using System.Security.Cryptography;
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

/// <summary>The <c>Idempotency-Key</c> rule of every POST that creates: scoped to the caller, bound to the hash of the validated request.</summary>
public static class IdempotencyKeys
{
    public const int MaxLength = 255;

    /// <summary>
    /// The id of the resource this request creates: <paramref name="newId"/> the first time the key is used, the earlier id when
    /// the same request is repeated, and a 422 problem when the key was used with another request.
    /// </summary>
    public static async Task<string> ClaimAsync(IIdempotencyStore store, string callerId, string key, object validatedRequest, string newId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length is 0 or > MaxLength || key.Any(c => c is < '!' or > '~'))
        {
            throw ProblemException.Invalid("Idempotency-Key", $"Must be 1 to {MaxLength} visible ASCII characters.");
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(ElicenceJson.SerializeToUtf8(validatedRequest)));
        var record = await store.GetOrAddAsync(new IdempotencyRecord(callerId, key, hash, newId, now), cancellationToken);
        return record.RequestHash == hash
            ? record.ResourceId
            : throw new ProblemException(ProblemType.IdempotencyKeyReused, "This Idempotency-Key was used earlier with a different request; use a new key for a new request.");
    }
}
