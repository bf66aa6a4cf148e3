using ELicence.Core.Callers;
using ELicence.Core.Serialization;

namespace ELicence.Core.Verifiers;

/// <summary>An onboarded verifier (a bank, the tendering platform…): receipts, usage and rate limits follow it, not its keys.</summary>
/// <param name="EntraClientId">
/// The Microsoft Entra ID application (client) id the organisation calls with, if it uses bearer tokens: a token whose
/// <c>azp</c>/<c>appid</c> is this id acts as this organisation. One client id belongs to at most one organisation.
/// </param>
public sealed record VerifierOrganisation(string Id, string Name, VerifierKind Kind, DateTimeOffset CreatedAt, string? EntraClientId = null)
{
    private const string IdPrefix = "vrf_";

    public static string NewId() => ResourceIds.New(IdPrefix);

    public static bool IsWellFormedId(string? id) => ResourceIds.IsWellFormed(id, IdPrefix);

    /// <summary>An Entra client id in its one canonical form (lower-case GUID with hyphens), or null when <paramref name="value"/> is not one.</summary>
    public static string? CanonicalClientId(string? value) =>
        value is { Length: 36 } && Guid.TryParseExact(value, "D", out var id) ? id.ToString("D") : null;
}

/// <summary>One API key of an organisation as it is listed: never its secret.</summary>
public sealed record VerifierKey(string KeyId, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public bool Active => RevokedAt is null;
}

/// <summary>An organisation's keys as read, with the version they were read at (the organisation row's ETag).</summary>
public sealed record VerifierKeys(VerifierOrganisation Organisation, IReadOnlyList<VerifierKey> Keys, string ETag)
{
    public int ActiveCount => Keys.Count(k => k.Active);
}

/// <summary>What the registrar sends to onboard a verifier; <paramref name="EntraClientId"/> when it will call with Entra ID tokens.</summary>
public sealed record NewVerifierRequest(string? Name, VerifierKind? Kind, string? EntraClientId = null);

/// <summary>Verifier organisations and the listing of their keys (Table Storage: one partition per organisation).</summary>
public interface IVerifierStore
{
    /// <summary>Adds the organisation; false when one with its id exists already.</summary>
    Task<bool> TryAddAsync(VerifierOrganisation organisation, CancellationToken cancellationToken);

    Task<VerifierOrganisation?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Reserves an Entra client id for <paramref name="organisationId"/> (before the organisation is written, so a crash in
    /// between leaves only a reservation its retry completes); returns the organisation that holds it, this one or another.
    /// </summary>
    Task<string> ClaimEntraClientAsync(string clientId, string organisationId, CancellationToken cancellationToken);

    /// <summary>The organisation whose <see cref="VerifierOrganisation.EntraClientId"/> is <paramref name="clientId"/> (canonical form), or null.</summary>
    Task<VerifierOrganisation?> FindByEntraClientAsync(string clientId, CancellationToken cancellationToken);

    Task<IReadOnlyList<VerifierOrganisation>> ListAsync(CancellationToken cancellationToken);

    Task<VerifierKeys?> FindKeysAsync(string organisationId, CancellationToken cancellationToken);

    /// <summary>Lists a new key, if the organisation's keys are still as <paramref name="read"/>; false when they changed meanwhile.</summary>
    Task<bool> TryAddKeyAsync(VerifierKeys read, VerifierKey key, CancellationToken cancellationToken);

    /// <summary>Marks a listed key revoked, if the organisation's keys are still as <paramref name="read"/>; false when they changed meanwhile.</summary>
    Task<bool> TryRevokeKeyAsync(VerifierKeys read, VerifierKey revoked, CancellationToken cancellationToken);
}
