namespace ELicence.Storage.Keys;

/// <summary>
/// The key ring as a private blob. For local use and tests; in Azure the ring is a Key Vault secret
/// (Key Vault keys support neither Ed25519 nor SM2) read through the same <see cref="IKeyRingStore"/>.
/// </summary>
public sealed class KeyRingBlobStore(StorageClients storage) : IKeyRingStore
{
    private readonly BlobClient _blob = storage.Container(StorageNames.KeysContainer).GetBlobClient("keyring.json");

    public async Task<byte[]?> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await _blob.DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public Task<bool> TryCreateAsync(byte[] document, CancellationToken cancellationToken) =>
        BlobWrites.TryUploadOnceAsync(_blob, BinaryData.FromBytes(document), "application/json", null, cancellationToken);
}
