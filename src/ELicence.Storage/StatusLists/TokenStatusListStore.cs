namespace ELicence.Storage.StatusLists;

/// <summary>
/// Published Token Status Lists in the "status-lists" container: the current token at <c>token/{list}.jwt</c> (replaced on
/// each publish) and every version, write-once, at <c>token/{list}/{iat, 12 digits}-{change counter, 12 digits}.jwt</c>, so a
/// list can be answered as it stood at any past instant. Names sort by time (then by change), so the version at an instant
/// is the last name not after it.
/// </summary>
public sealed class TokenStatusListStore(StorageClients storage) : ITokenStatusListStore
{
    private readonly BlobContainerClient _container = storage.Container(StorageNames.StatusListsContainer);

    public async Task SaveAsync(int listNumber, long issuedAt, long counter, string jws, CancellationToken cancellationToken)
    {
        var content = BinaryData.FromString(jws);
        await BlobWrites.TryUploadOnceAsync(_container.GetBlobClient(VersionName(listNumber, issuedAt, counter)), content, TokenStatusLists.MediaType, null, cancellationToken);
        await _container.GetBlobClient(CurrentName(listNumber)).UploadAsync(content, new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = TokenStatusLists.MediaType },
        }, cancellationToken);
    }

    public Task<string?> FindCurrentAsync(int listNumber, CancellationToken cancellationToken) => ReadAsync(CurrentName(listNumber), cancellationToken);

    public async Task<string?> FindAtAsync(int listNumber, long unixTime, CancellationToken cancellationToken)
    {
        var latest = VersionName(listNumber, unixTime, 999_999_999_999);
        string? found = null;
        await foreach (var blob in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = Prefix(listNumber) }, cancellationToken))
        {
            if (string.CompareOrdinal(blob.Name, latest) <= 0)
            {
                found = blob.Name; // listed in name order, which is time order
            }
        }

        return found is null ? null : await ReadAsync(found, cancellationToken);
    }

    private async Task<string?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return (await _container.GetBlobClient(name).DownloadContentAsync(cancellationToken)).Value.Content.ToString();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private static string CurrentName(int listNumber) => string.Create(CultureInfo.InvariantCulture, $"token/{listNumber}.jwt");

    private static string Prefix(int listNumber) => string.Create(CultureInfo.InvariantCulture, $"token/{listNumber}/");

    private static string VersionName(int listNumber, long issuedAt, long counter) => string.Create(CultureInfo.InvariantCulture, $"token/{listNumber}/{issuedAt:D12}-{counter:D12}.jwt");
}
