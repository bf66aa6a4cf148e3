using System.Text;
using Azure.Security.KeyVault.Secrets;
using Azure.Storage.Blobs.Specialized;

namespace ELicence.Storage.Keys;

/// <summary>
/// The key ring as a Key Vault secret (Key Vault keys support neither Ed25519 nor SM2, so the seeds are kept as a secret),
/// read with the Function App's managed identity. The secret's version id is the ring's version.
/// </summary>
/// <remarks>
/// Key Vault has no conditional write. A replacement therefore holds a lease on a lock blob (<c>signing-keys/keyring.lock</c>)
/// while it compares the current secret version with the one the change was planned on and writes: two rotations on
/// two instances are serialised, and the second sees the first's version and plans again. The first ring is written and
/// read back: an instance that lost a race adopts the stored ring.
/// </remarks>
public sealed class KeyRingKeyVaultStore(SecretClient secrets, string secretName, StorageClients storage) : IKeyRingStore
{
    private static readonly TimeSpan LeaseFor = TimeSpan.FromSeconds(30);
    private readonly BlobClient _lock = storage.Container(StorageNames.KeysContainer).GetBlobClient("keyring.lock");

    public async Task<StoredKeyRing?> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var secret = (await secrets.GetSecretAsync(secretName, cancellationToken: cancellationToken)).Value;
            return new StoredKeyRing(Encoding.UTF8.GetBytes(secret.Value), secret.Properties.Version);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<bool> TryCreateAsync(byte[] document, CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is not null)
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(document);
        await SetAsync(text, cancellationToken);
        var stored = await LoadAsync(cancellationToken);
        return stored is not null && Encoding.UTF8.GetString(stored.Document) == text;
    }

    public async Task<bool> TryReplaceAsync(byte[] document, string version, CancellationToken cancellationToken)
    {
        await BlobWrites.TryUploadOnceAsync(_lock, BinaryData.FromString("lock"), "text/plain", null, cancellationToken);
        var lease = _lock.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(LeaseFor, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false; // another instance is writing: the caller reads again and re-plans
        }

        try
        {
            if ((await LoadAsync(cancellationToken))?.Version != version)
            {
                return false;
            }

            await SetAsync(Encoding.UTF8.GetString(document), cancellationToken);
            return true;
        }
        finally
        {
            await lease.ReleaseAsync(cancellationToken: CancellationToken.None);
        }
    }

    private async Task SetAsync(string text, CancellationToken cancellationToken) =>
        await secrets.SetSecretAsync(new KeyVaultSecret(secretName, text) { Properties = { ContentType = "application/json" } }, cancellationToken);
}
