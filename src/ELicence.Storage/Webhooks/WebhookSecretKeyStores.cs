using Azure.Security.KeyVault.Secrets;
using ELicence.Core.Webhooks;
using ELicence.Storage.Keys;

namespace ELicence.Storage.Webhooks;

/// <summary>The key of webhook secrets at rest as a private blob beside the key ring (<c>signing-keys/webhook-secret-key</c>), for local use and tests.</summary>
public sealed class WebhookSecretKeyBlobStore(StorageClients storage) : IWebhookSecretKeyStore
{
    private readonly BlobOnceSecret _secret = new(storage, "webhook-secret-key");

    public Task<string?> LoadAsync(CancellationToken cancellationToken) => _secret.LoadAsync(cancellationToken);

    public Task<bool> TryCreateAsync(string key, CancellationToken cancellationToken) => _secret.TryCreateAsync(key, cancellationToken);
}

/// <summary>
/// The key of webhook secrets at rest as a Key Vault secret (<c>elicence-webhook-secret-key</c> by default), created once
/// under a lease on <c>signing-keys/webhook-secret-key.lock</c>. Losing it makes every subscription's secret unreadable:
/// its verifiers rotate their secrets.
/// </summary>
public sealed class WebhookSecretKeyVaultStore(SecretClient secrets, string secretName, StorageClients storage) : IWebhookSecretKeyStore
{
    private readonly VaultOnceSecret _secret = new(secrets, secretName, storage, "webhook-secret-key.lock");

    public Task<string?> LoadAsync(CancellationToken cancellationToken) => _secret.LoadAsync(cancellationToken);

    public Task<bool> TryCreateAsync(string key, CancellationToken cancellationToken) => _secret.TryCreateAsync(key, cancellationToken);
}
