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
    public async Task<Caller?> AuthenticateAsync(string? presented, CancellationToken cancellationToken)
    {
        if (presented is null || presented.Length > 200 || !presented.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = presented.AsSpan(Prefix.Length);
        var separator = rest.IndexOf('_');
        if (separator != 16)
        {
            return null;
        }

        var keyId = rest[..separator].ToString();
        var secret = rest[(separator + 1)..].ToString();
        var record = await store.FindAsync(keyId, cancellationToken);
        if (record is null || record.Revoked || !CryptographicOperations.FixedTimeEquals(record.SecretHash, Hash(secret)))
        {
            return null;
        }

        return record.Role switch
        {
            Role.Registrar => Caller.Registrar(record.PrincipalId, record.Name),
            Role.Verifier => Caller.Verifier(record.PrincipalId, record.Name),
            Role.Holder when record.HolderOf is not null => Caller.Holder(record.PrincipalId, record.Name, CreditCode.Parse(record.HolderOf)),
            _ => null,
        };
    }

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
