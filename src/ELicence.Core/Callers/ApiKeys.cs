using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using ELicence.Core.CreditCodes;
using ELicence.Core.Keys;

namespace ELicence.Core.Callers;

/// <summary>A stored API key: only the SHA-256 of its secret is kept.</summary>
/// <remarks>Several keys may belong to one principal (an organisation): receipts and ownership follow the principal, not the key.</remarks>
public sealed record ApiKeyRecord(string KeyId, byte[] SecretHash, Role Role, string PrincipalId, string Name, string? HolderOf, DateTimeOffset CreatedAt, bool Revoked);

/// <summary>Where API keys are kept (Table Storage in this service).</summary>
public interface IApiKeyStore
{
    Task<ApiKeyRecord?> FindAsync(string keyId, CancellationToken cancellationToken);

    Task AddAsync(ApiKeyRecord record, CancellationToken cancellationToken);
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

    public async Task<IssuedApiKey> CreateAsync(Role role, string principalId, string name, CreditCode? holderOf, CancellationToken cancellationToken)
    {
        if ((role == Role.Holder) != holderOf.HasValue)
        {
            throw new ArgumentException("A holder key is bound to one credit code; other keys to none.", nameof(holderOf));
        }

        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = B64Url.Encode(RandomNumberGenerator.GetBytes(32)).Replace('_', 'Z');
        var record = new ApiKeyRecord(keyId, Hash(secret), role, principalId, name, holderOf?.Value, time.GetUtcNow(), Revoked: false);
        await store.AddAsync(record, cancellationToken);
        return new IssuedApiKey(keyId, $"{Prefix}{keyId}_{secret}", role, principalId, name, holderOf?.Value);
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
        if (record is null || record.Revoked || !CryptographicOperations.FixedTimeEquals(record.SecretHash, Hash(secret)))
        {
            return null;
        }

        return record.Role switch
        {
            Role.Registrar => Caller.Registrar(record.PrincipalId, record.Name),
            Role.Verifier => Caller.Verifier(record.PrincipalId, record.Name),
            Role.Holder when StoredCode(record.HolderOf) is { } code => Caller.Holder(record.PrincipalId, record.Name, code),
            _ => null,
        };
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

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
