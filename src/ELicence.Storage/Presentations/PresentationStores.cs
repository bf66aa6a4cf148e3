using ELicence.Core.Presentations;
using ELicence.Jose;

namespace ELicence.Storage.Presentations;

/// <summary>
/// Used presentations as rows keyed by the SHA-256 of their key-binding JWT: one partition each (no hot partition on the
/// verify path), added with Add (insert-if-absent), so of two concurrent verifications of one presentation exactly one wins.
/// </summary>
public sealed class PresentationUseStore(StorageClients storage) : IPresentationUseStore
{
    private readonly TableClient _table = storage.Table(StorageNames.PresentationUsesTable);

    public async Task<bool> TryRecordAsync(string keyBindingSha256, DateTimeOffset at, CancellationToken cancellationToken)
    {
        try
        {
            await _table.AddEntityAsync(new TableEntity(keyBindingSha256, "use") { ["UsedAt"] = at }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }
}

/// <summary>
/// The quick-mode holder key of each licence as a private blob "{code}.json" holding its Ed25519 seed, written once. Like the
/// local signing key ring: the container is private and never served.
/// </summary>
public sealed class HolderKeyBlobStore(StorageClients storage) : IPresentationKeyStore
{
    private sealed record StoredHolderKey(string Seed);

    public async Task<byte[]?> FindSeedAsync(CreditCode code, CancellationToken cancellationToken)
    {
        try
        {
            var content = (await Blob(code).DownloadContentAsync(cancellationToken)).Value.Content;
            var stored = ElicenceJson.Deserialize<StoredHolderKey>(content.ToString());
            return stored is not null && B64Url.TryDecode(stored.Seed, out var seed) && seed.Length == Ed25519.SeedLength
                ? seed
                : throw new InvalidDataException($"The holder key of {code} is damaged.");
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public Task<bool> TryCreateSeedAsync(CreditCode code, byte[] seed, CancellationToken cancellationToken) =>
        BlobWrites.TryUploadOnceAsync(Blob(code), BinaryData.FromString(ElicenceJson.Serialize(new StoredHolderKey(B64Url.Encode(seed)))), "application/json", null, cancellationToken);

    private BlobClient Blob(CreditCode code) => storage.Container(StorageNames.HolderKeysContainer).GetBlobClient(code.Value + ".json");
}
