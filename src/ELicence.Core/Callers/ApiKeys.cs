using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using ELicence.Core.CreditCodes;
using ELicence.Core.Keys;
using ELicence.Jose;

namespace ELicence.Core.Callers;

/// <summary>A stored API key: only the SHA-256 of its secret is kept.</summary>
/// <remarks>
/// Several keys may belong to one principal (an organisation): receipts and ownership follow the principal, not the key.
/// A verifier key names its organisation (<see cref="PrincipalId"/>) and that organisation's kind. A holder key names the acting
/// person (<see cref="Name"/>), its kind and, for an agent, its scopes and expiry (none: a key from before delegation, the owner's).
/// </remarks>
public sealed record ApiKeyRecord(
    string KeyId,
    byte[] SecretHash,
    Role Role,
    string PrincipalId,
    string Name,
    string? HolderOf,
    DateTimeOffset CreatedAt,
    bool Revoked,
    VerifierKind? VerifierKind = null,
    HolderKind? HolderKind = null,
    IReadOnlyList<HolderScope>? Scopes = null,
    DateTimeOffset? ExpiresAt = null,
    RegistrarRole? RegistrarRole = null);

/// <summary>A new holder key: for which licence, for whom, of which kind; an agent's scopes and expiry.</summary>
public sealed record HolderKeySpec(CreditCode Code, string PersonName, HolderKind Kind, IReadOnlyList<HolderScope> Scopes, DateTimeOffset? ExpiresAt);

/// <summary>Where API keys are kept (Table Storage in this service).</summary>
public interface IApiKeyStore
{
    Task<ApiKeyRecord?> FindAsync(string keyId, CancellationToken cancellationToken);

    Task AddAsync(ApiKeyRecord record, CancellationToken cancellationToken);

    /// <summary>Marks the key revoked: from then on it authenticates nobody. Repeating it changes nothing.</summary>
    Task RevokeAsync(string keyId, CancellationToken cancellationToken);
}

/// <summary>A newly created key: the only moment its secret exists in clear.</summary>
public sealed record IssuedApiKey(string KeyId, string Key, Role Role, string PrincipalId, string Name, string? HolderOf);

/// <summary>
/// API keys of the form <c>elk_{keyId}_{secret}</c>: the key id finds the record, the secret's hash is compared in constant time.
/// </summary>
public sealed class ApiKeyService(IApiKeyStore store, TimeProvider time)
{
    private const string Prefix = "elk_";
    private const int KeyIdLength = 16;
    private const int SecretLength = 43; // 32 random bytes in unpadded base64url
    private static readonly SearchValues<char> KeyIdCharacters = SearchValues.Create("0123456789abcdef");
    private static readonly SearchValues<char> SecretCharacters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-");

    /// <summary>A registrar key, or a holder key bound to one credit code. Verifier keys are made by <see cref="CreateVerifierKeyAsync"/>.</summary>
    public Task<IssuedApiKey> CreateAsync(Role role, string principalId, string name, CreditCode? holderOf, CancellationToken cancellationToken)
    {
        if (role == Role.Verifier)
        {
            throw new ArgumentException("A verifier key belongs to a verifier organisation; use CreateVerifierKeyAsync.", nameof(role));
        }

        if ((role == Role.Holder) != holderOf.HasValue)
        {
            throw new ArgumentException("A holder key is bound to one credit code; other keys to none.", nameof(holderOf));
        }

        return CreateAsync(role, principalId, name, holderOf, null, cancellationToken);
    }

    /// <summary>A registrar key of bureau staff: a clerk's, or a supervisor's who may approve what another proposed.</summary>
    public Task<IssuedApiKey> CreateRegistrarKeyAsync(string principalId, string name, RegistrarRole role, CancellationToken cancellationToken) =>
        CreateAsync(record => record with { Role = Role.Registrar, PrincipalId = principalId, Name = name, RegistrarRole = role }, cancellationToken);

    /// <summary>A key of a verifier organisation: whoever presents it acts as that organisation.</summary>
    public Task<IssuedApiKey> CreateVerifierKeyAsync(string organisationId, string organisationName, VerifierKind kind, CancellationToken cancellationToken) =>
        CreateAsync(Role.Verifier, organisationId, organisationName, null, kind, cancellationToken);

    /// <summary>A key of the licence's owner, an administrator or an agent, acting as <see cref="HolderKeySpec.PersonName"/>.</summary>
    public Task<IssuedApiKey> CreateHolderKeyAsync(HolderKeySpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return CreateAsync(
            record => record with { Role = Role.Holder, PrincipalId = PrincipalOf(spec.Code), Name = spec.PersonName, HolderOf = spec.Code.Value, HolderKind = spec.Kind, Scopes = spec.Scopes, ExpiresAt = spec.ExpiresAt },
            cancellationToken);
    }

    /// <summary>The principal every holder key of a licence acts for (rate limits and idempotency keys are the licence's).</summary>
    public static string PrincipalOf(CreditCode code) => "holder:" + code.Value;

    /// <summary>Revokes a key by its id: its next request is refused.</summary>
    public Task RevokeAsync(string keyId, CancellationToken cancellationToken) =>
        IsWellFormedKeyId(keyId) ? store.RevokeAsync(keyId, cancellationToken) : throw new ArgumentException("Not a key id.", nameof(keyId));

    /// <summary>Whether <paramref name="keyId"/> has the shape of the key ids this service makes (so it is safe as a table key).</summary>
    public static bool IsWellFormedKeyId(string? keyId) => keyId is { Length: KeyIdLength } && !keyId.AsSpan().ContainsAnyExcept(KeyIdCharacters);

    private Task<IssuedApiKey> CreateAsync(Role role, string principalId, string name, CreditCode? holderOf, VerifierKind? kind, CancellationToken cancellationToken) =>
        CreateAsync(record => record with { Role = role, PrincipalId = principalId, Name = name, HolderOf = holderOf?.Value, VerifierKind = kind }, cancellationToken);

    private async Task<IssuedApiKey> CreateAsync(Func<ApiKeyRecord, ApiKeyRecord> describe, CancellationToken cancellationToken)
    {
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = B64Url.Encode(RandomNumberGenerator.GetBytes(32)).Replace('_', 'Z');
        var record = describe(new ApiKeyRecord(keyId, Hash(secret), Role.Registrar, "", "", null, time.GetUtcNow(), Revoked: false));
        await store.AddAsync(record, cancellationToken);
        return new IssuedApiKey(keyId, $"{Prefix}{keyId}_{secret}", record.Role, record.PrincipalId, record.Name, record.HolderOf);
    }

    /// <summary>The caller a presented key belongs to, or null when it is malformed, unknown, revoked or wrong.</summary>
    /// <remarks>
    /// The key's shape is checked before any lookup: the key id becomes a Table partition key, so a forged one (with '/', '#',
    /// quotes…) must never reach storage; a malformed key costs nothing but this check.
    /// </remarks>
    public async Task<Caller?> AuthenticateAsync(string? presented, CancellationToken cancellationToken)
    {
        if (!TrySplit(presented, out var keyId, out var secret))
        {
            return null;
        }

        var record = await store.FindAsync(keyId, cancellationToken);
        if (record is null || record.Revoked || !CryptographicOperations.FixedTimeEquals(record.SecretHash, Hash(secret))
            || (record.ExpiresAt is { } expiresAt && expiresAt <= time.GetUtcNow()))
        {
            return null;
        }

        var caller = record.Role switch
        {
            // A registrar key not marked supervisor (every key from before the roles) is a clerk's.
            Role.Registrar => Caller.Registrar(record.PrincipalId, record.Name, record.RegistrarRole ?? RegistrarRole.Clerk),
            // A verifier key from before organisations (no kind) authenticates nobody: receipts must name an organisation.
            Role.Verifier when record.VerifierKind is { } kind => Caller.Verifier(record.PrincipalId, record.Name, kind),
            Role.Holder when StoredCode(record.HolderOf) is { } code => Caller.Holder(record.PrincipalId, record.Name, code, GrantOf(record)),
            _ => null,
        };
        return caller is null ? null : caller with { Acting = Actor.Key(record.KeyId, record.Name) };
    }

    /// <summary>
    /// Splits <c>elk_{keyId}_{secret}</c> when it has exactly the shape <see cref="CreateAsync"/> makes: a key id of
    /// <see cref="KeyIdLength"/> lower-case hex characters and a secret of <see cref="SecretLength"/> base64url characters without '_'.
    /// </summary>
    public static bool TrySplit(string? presented, out string keyId, out string secret)
    {
        keyId = secret = "";
        if (presented is null || presented.Length != Prefix.Length + KeyIdLength + 1 + SecretLength
            || !presented.StartsWith(Prefix, StringComparison.Ordinal) || presented[Prefix.Length + KeyIdLength] != '_')
        {
            return false;
        }

        var id = presented.AsSpan(Prefix.Length, KeyIdLength);
        var rest = presented.AsSpan(Prefix.Length + KeyIdLength + 1);
        if (id.ContainsAnyExcept(KeyIdCharacters) || rest.ContainsAnyExcept(SecretCharacters))
        {
            return false;
        }

        keyId = id.ToString();
        secret = rest.ToString();
        return true;
    }

    /// <summary>The holder's code as it was stored when the key was made (it was valid then; a later change of the legacy list does not unmake it).</summary>
    private static CreditCode? StoredCode(string? stored) =>
        stored is null ? null : CreditCode.FromStored(stored);

    private static HolderGrant GrantOf(ApiKeyRecord record) =>
        record.HolderKind is { } kind ? new HolderGrant(record.KeyId, kind, record.Scopes ?? [], record.ExpiresAt) : HolderGrant.Owner(record.KeyId);

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
