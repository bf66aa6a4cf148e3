namespace ELicence.Storage;

internal static class BlobWrites
{
    /// <summary>Uploads only if no blob has that name (If-None-Match: *); false when one exists.</summary>
    public static async Task<bool> TryUploadOnceAsync(BlobClient blob, BinaryData content, string contentType, IDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        try
        {
            await blob.UploadAsync(content, new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                Metadata = metadata,
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }
}
