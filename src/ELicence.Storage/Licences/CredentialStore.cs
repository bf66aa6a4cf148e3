namespace ELicence.Storage.Licences;

/// <summary>Signed credentials as blobs <c>{code}/v{version}.jwt</c>, written once.</summary>
public sealed class CredentialStore(StorageClients storage) : ICredentialStore
{
    private readonly BlobContainerClient _container = storage.Container(StorageNames.CredentialsContainer);

    public async Task PutIfAbsentAsync(CreditCode code, int version, string jws, CancellationToken cancellationToken)
    {
        await BlobWrites.TryUploadOnceAsync(_container.GetBlobClient(Name(code, version)), BinaryData.FromString(jws), "application/vc+jwt", null, cancellationToken);
    }

    public async Task<string?> FindAsync(CreditCode code, int version, CancellationToken cancellationToken)
    {
        try
        {
            var result = await _container.GetBlobClient(Name(code, version)).DownloadContentAsync(cancellationToken);
            return result.Value.Content.ToString();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private static string Name(CreditCode code, int version) => string.Create(CultureInfo.InvariantCulture, $"{code.Value}/v{version}.jwt");
}
