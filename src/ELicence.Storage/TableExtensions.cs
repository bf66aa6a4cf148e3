namespace ELicence.Storage;

internal static class TableExtensions
{
    /// <summary>
    /// Whether a value may be a PartitionKey or RowKey: at most 1 KiB of UTF-16 and none of / \ # ? or a control character
    /// (the Table service refuses them, and in a URL they would change which entity is addressed).
    /// </summary>
    public static bool IsKeySafe(string? key) =>
        key is { Length: > 0 and <= 512 } && !key.AsSpan().ContainsAny(ForbiddenKeyCharacters);

    private static readonly System.Buffers.SearchValues<char> ForbiddenKeyCharacters = System.Buffers.SearchValues.Create(
        "/\\#?" + new string([.. Enumerable.Range(0, 0x20).Select(i => (char)i)]) + new string([.. Enumerable.Range(0x7F, 0x21).Select(i => (char)i)]));

    public static async Task<T?> FindAsync<T>(this TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var response = await table.GetEntityIfExistsAsync<T>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Adds the entity; false when one with the same keys exists (409).</summary>
    public static async Task<bool> TryAddAsync(this TableClient table, ITableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Replaces the entity if its ETag still matches; false on 412 (changed) or 404 (gone).</summary>
    public static async Task<bool> TryReplaceAsync(this TableClient table, ITableEntity entity, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }
}
