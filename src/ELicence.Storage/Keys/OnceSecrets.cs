using Azure.Security.KeyVault.Secrets;
using Azure.Storage.Blobs.Specialized;

namespace ELicence.Storage.Keys;

/// <summary>
/// A secret created once and then only read, as a private blob in <c>signing-keys</c> beside the key ring (local use and
/// tests): written with If-None-Match, so of two instances creating it at once one wins and the other reads its value.
/// </summary>
public sealed class BlobOnceSecret(StorageClients storage, string blobName)
{
    private readonly BlobClient _blob = storage.Container(StorageNames.KeysContainer).GetBlobClient(blobName);

    public async Task<string?> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await _blob.DownloadContentAsync(cancellationToken)).Value.Content.ToString();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Stores the first value; false when one is stored already.</summary>
    public Task<bool> TryCreateAsync(string value, CancellationToken cancellationToken) =>
        BlobWrites.TryUploadOnceAsync(_blob, BinaryData.FromString(value), "text/plain", null, cancellationToken);
}

/// <summary>
/// A secret created once and then only read, as a Key Vault secret. Key Vault has no create-if-absent, so the first value
/// is written under a lease on the blob <c>signing-keys/{lockName}</c>: check and write are one step for every instance,
/// and the losers read the winner's value.
/// </summary>
public sealed class VaultOnceSecret(SecretClient secrets, string secretName, StorageClients storage, string lockName)
{
    private static readonly TimeSpan LeaseFor = TimeSpan.FromSeconds(15);
    private readonly BlobClient _lock = storage.Container(StorageNames.KeysContainer).GetBlobClient(lockName);

    public async Task<string?> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await secrets.GetSecretAsync(secretName, cancellationToken: cancellationToken)).Value.Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Stores the first value; false when one is stored already (another instance won).</summary>
    public async Task<bool> TryCreateAsync(string value, CancellationToken cancellationToken)
    {
        await BlobWrites.TryUploadOnceAsync(_lock, BinaryData.FromString("lock"), "text/plain", null, cancellationToken);
        var lease = _lock.GetBlobLeaseClient();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await lease.AcquireAsync(LeaseFor, cancellationToken: cancellationToken);
                break;
            }
            catch (RequestFailedException e) when (e.Status == 409 && attempt < 100)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken); // another instance is creating it
            }
        }

        try
        {
            if (await LoadAsync(cancellationToken) is not null)
            {
                return false;
            }

            await secrets.SetSecretAsync(new KeyVaultSecret(secretName, value) { Properties = { ContentType = "text/plain" } }, cancellationToken);
            return true;
        }
        finally
        {
            await lease.ReleaseAsync(cancellationToken: CancellationToken.None);
        }
    }
}
