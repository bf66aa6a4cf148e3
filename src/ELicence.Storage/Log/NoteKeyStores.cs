using Azure.Security.KeyVault.Secrets;
using ELicence.Core.Log;
using ELicence.Storage.Keys;

namespace ELicence.Storage.Log;

/// <summary>The log's note key as a private blob beside the key ring (<c>signing-keys/log-note-key</c>), for local use and tests; created once (If-None-Match).</summary>
public sealed class NoteKeyBlobStore(StorageClients storage) : INoteKeyStore
{
    private readonly BlobOnceSecret _secret = new(storage, "log-note-key");

    public Task<string?> LoadAsync(CancellationToken cancellationToken) => _secret.LoadAsync(cancellationToken);

    public Task<bool> TryCreateAsync(string privateKey, CancellationToken cancellationToken) => _secret.TryCreateAsync(privateKey, cancellationToken);
}

/// <summary>
/// The log's note key as a Key Vault secret (<c>elicence-log-note-key</c> by default), created once under a lease on
/// <c>signing-keys/log-note-key.lock</c>. Rotate by hand only (a new key is a new log for its monitors).
/// </summary>
public sealed class NoteKeyVaultStore(SecretClient secrets, string secretName, StorageClients storage) : INoteKeyStore
{
    private readonly VaultOnceSecret _secret = new(secrets, secretName, storage, "log-note-key.lock");

    public Task<string?> LoadAsync(CancellationToken cancellationToken) => _secret.LoadAsync(cancellationToken);

    public Task<bool> TryCreateAsync(string privateKey, CancellationToken cancellationToken) => _secret.TryCreateAsync(privateKey, cancellationToken);
}
