using ELicence.Core.Callers;
using ELicence.Core.CreditCodes;

namespace ELicence.Core.Holders;

/// <summary>One holder key of a licence as it is listed: never its secret. <see cref="CreatedBy"/> names the person who made it.</summary>
public sealed record HolderKey(string KeyId, HolderKind Kind, string Name, IReadOnlyList<HolderScope> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string CreatedBy, DateTimeOffset? RemovedAt)
{
    public bool ActiveAt(DateTimeOffset now) => RemovedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

/// <summary>A licence's holder keys as read, with the version they were read at (null: the licence has had none yet).</summary>
public sealed record HolderKeys(CreditCode Code, IReadOnlyList<HolderKey> Keys, string? ETag);

/// <summary>What the registrar sends to (re)set the owner key: the legal representative's name (default: the licence's).</summary>
public sealed record NewOwnerKeyRequest(string? Name);

/// <summary>What the owner sends to add an administrator.</summary>
public sealed record NewAdministratorRequest(string? Name);

/// <summary>What the owner or an administrator sends to add an agent.</summary>
public sealed record NewAgentRequest(string? Name, IReadOnlyList<HolderScope>? Scopes, DateTimeOffset? ExpiresAt);

/// <summary>A new holder key: the secret, shown once, and its listing.</summary>
public sealed record IssuedHolderKey(string Key, HolderKey Listed);

/// <summary>The listing of a licence's holder keys (Table Storage: one partition per licence, a version row guarding every change).</summary>
public interface IHolderKeyStore
{
    Task<HolderKeys> ReadAsync(CreditCode code, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="changed"/> keys (new or updated) if the listing is still as <paramref name="read"/>; false when it changed meanwhile.</summary>
    Task<bool> TryCommitAsync(HolderKeys read, IReadOnlyList<HolderKey> changed, CancellationToken cancellationToken);
}
