namespace ELicence.Tlog;

/// <summary>The log's static resources by tlog-tiles path (tiles, entry bundles). Writes overwrite; readers get exactly what was written.</summary>
public interface ITileStore
{
    Task<byte[]?> ReadAsync(string path, CancellationToken cancellationToken);

    Task WriteAsync(string path, byte[] content, CancellationToken cancellationToken);
}
