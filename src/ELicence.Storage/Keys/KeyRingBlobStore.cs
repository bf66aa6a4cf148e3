namespace ELicence.Storage.Keys;

/// <summary>
/// The key ring as a private blob. For local use and tests; in Azure the ring is a Key Vault secret
/// (Key Vault keys support neither Ed25519 nor SM2) read through the same <see cref="IKeyRingStore"/>.
/// The blob's ETag is the ring's version: a replacement is conditional on it.
/// </summary>
public sealed class KeyRingBlobStore(StorageClients storage) : IKeyRingStore
{
    private readonly BlobClient _blob = storage.Container(StorageNames.KeysContainer).GetBlobClient("keyring.json");

    public async Task<StoredKeyRing?> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var content = (await _blob.DownloadContentAsync(cancellationToken)).Value;
            return new StoredKeyRing(content.Content.ToArray(), content.Details.ETag.ToString());
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public Task<bool> TryCreateAsync(byte[] document, CancellationToken cancellationToken) =>
        BlobWrites.TryUploadOnceAsync(_blob, BinaryData.FromBytes(document), "application/json", null, cancellationToken);

    public async Task<bool> TryReplaceAsync(byte[] document, string version, CancellationToken cancellationToken)
    {
        try
        {
            await _blob.UploadAsync(BinaryData.FromBytes(document), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfMatch = new ETag(version) },
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }
}
