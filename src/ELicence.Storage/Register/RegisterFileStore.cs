using ELicence.Core.Register;
using ELicence.Jose;

namespace ELicence.Storage.Register;

/// <summary>
/// Snapshot and delta files in the <c>register-files</c> container, written once (If-None-Match: *), and their manifests
/// in the <c>registerfiles</c> table (one partition, RowKey = file name): the row is the publication, written after the blob.
/// </summary>
public sealed class RegisterFileStore(StorageClients storage) : IRegisterFileStore
{
    private const string Partition = "files";
    private readonly TableClient _table = storage.Table(StorageNames.RegisterFilesTable);
    private readonly BlobContainerClient _container = storage.Container(StorageNames.RegisterFilesContainer);

    public async Task<IReadOnlyList<RegisterFile>> ListAsync(CancellationToken cancellationToken)
    {
        var files = new List<RegisterFile>();
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            var manifest = ElicenceJson.Deserialize<RegisterFileManifest>(row.GetString("Manifest")) ?? throw new InvalidOperationException($"Register file {row.RowKey} has no manifest.");
            files.Add(new RegisterFile(manifest, row.GetString("Jws")));
        }

        return [.. files.OrderBy(f => f.Manifest.LastSequence).ThenBy(f => f.Manifest.Kind, StringComparer.Ordinal)];
    }

    public async Task PublishAsync(string name, byte[] content, string manifestJws, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifestJws);
        var blob = _container.GetBlobClient(name);
        if (!await BlobWrites.TryUploadOnceAsync(blob, new BinaryData(content), "application/gzip", null, cancellationToken)
            && await _table.FindAsync<TableEntity>(Partition, name, cancellationToken) is null)
        {
            // A crash left the file unpublished: it may be replaced, since no manifest has vouched for it yet.
            await blob.UploadAsync(new BinaryData(content), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/gzip" } }, cancellationToken);
        }

        var manifest = CompactJwsPayload(manifestJws);
        await _table.TryAddAsync(new TableEntity(Partition, name) { ["Manifest"] = manifest, ["Jws"] = manifestJws }, cancellationToken);
    }

    public async Task<byte[]?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var download = await _container.GetBlobClient(name).DownloadContentAsync(cancellationToken);
            return download.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private static string CompactJwsPayload(string jws) =>
        CompactJws.TryParse(jws, out var parsed, out var error) ? System.Text.Encoding.UTF8.GetString(parsed.Payload) : throw new ArgumentException($"Not a compact JWS: {error}", nameof(jws));
}
