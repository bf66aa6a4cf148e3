using Azure.Security.KeyVault.Secrets;
using Azure.Storage.Blobs.Specialized;
using ELicence.Core.Log;

namespace ELicence.Storage.Log;

/// <summary>The log's note key as a private blob beside the key ring (<c>signing-keys/log-note-key</c>), for local use and tests; created once (If-None-Match).</summary>
public sealed class NoteKeyBlobStore(StorageClients storage) : INoteKeyStore
{
    private readonly BlobClient _blob = storage.Container(StorageNames.KeysContainer).GetBlobClient("log-note-key");

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

    public Task<bool> TryCreateAsync(string privateKey, CancellationToken cancellationToken) =>
        BlobWrites.TryUploadOnceAsync(_blob, BinaryData.FromString(privateKey), "text/plain", null, cancellationToken);
}

/// <summary>
/// The log's note key as a Key Vault secret (<c>elicence-log-note-key</c> by default). Key Vault has no create-if-absent, so
/// the first key is created under a lease on <c>signing-keys/log-note-key.lock</c>: check and write are one step for every
/// instance, and the losers read the winner's key. Rotate by hand only (a new key is a new log for its monitors).
/// </summary>
public sealed class NoteKeyVaultStore(SecretClient secrets, string secretName, StorageClients storage) : INoteKeyStore
{
    private static readonly TimeSpan LeaseFor = TimeSpan.FromSeconds(15);
    private readonly BlobClient _lock = storage.Container(StorageNames.KeysContainer).GetBlobClient("log-note-key.lock");

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

    public async Task<bool> TryCreateAsync(string privateKey, CancellationToken cancellationToken)
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

            await secrets.SetSecretAsync(new KeyVaultSecret(secretName, privateKey) { Properties = { ContentType = "text/plain" } }, cancellationToken);
            return true;
        }
        finally
        {
            await lease.ReleaseAsync(cancellationToken: CancellationToken.None);
        }
    }
}
