using ELicence.Core.Log;
using ELicence.Tlog;

namespace ELicence.Storage.Log;

/// <summary>
/// Tiles and entry bundles as blobs of container <c>log</c> named by their tlog-tiles path (<c>tile/0/x001/234</c>,
/// <c>tile/entries/000.p/7</c>), as tessera lays them out in a bucket, so the container can be mirrored as static files.
/// </summary>
public sealed class TileBlobStore(StorageClients storage) : ITileStore
{
    private readonly BlobContainerClient _container = storage.Container(StorageNames.LogContainer);

    public async Task<byte[]?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return (await _container.GetBlobClient(path).DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task WriteAsync(string path, byte[] content, CancellationToken cancellationToken) =>
        await _container.GetBlobClient(path).UploadAsync(BinaryData.FromBytes(content), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
        }, cancellationToken);
}
