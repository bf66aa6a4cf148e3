using ELicence.Jose;

namespace ELicence.Storage.Receipts;

/// <summary>
/// Receipts as write-once blobs <c>{id}.jwt</c> (a second write under the same name fails; in Azure the container also carries
/// a time-based immutability policy). A save is the hot path of a verification: the journal row and the blob
/// (<see cref="ReceiptJournal"/>); the relay then writes the by-verifier row, the licence's usage row (who checked it, for
/// what, with what outcome, under the receipt's id, so a relayed-again row leaves one usage row) and the log leaf.
/// </summary>
public sealed class ReceiptStore(StorageClients storage, ReceiptJournal journal) : IReceiptStore
{
    private const string VerifierMetadata = "verifier";
    private const int MaxStoredLength = 8 * 1024 * 1024;
    private readonly BlobContainerClient _container = storage.Container(StorageNames.ReceiptsContainer);

    public async Task SaveAsync(StoredReceipt receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var r = receipt.Receipt;
        await journal.RecordAsync(
            ReceiptJournal.SingleKind,
            receipt.Id,
            receipt.VerifierId,
            receipt.Jws,
            new Dictionary<string, object?> { ["CreditCode"] = r.Subject, ["VerifiedAt"] = r.VerifiedAt, ["Valid"] = r.Valid, ["Purpose"] = r.Purpose },
            cancellationToken);
    }

    public async Task<StoredReceipt?> FindAsync(string id, CancellationToken cancellationToken) =>
        // The id names a blob: only the service's own receipt ids may (never "../x" or "a/b").
        Receipt.IsWellFormedId(id) && await ReadAsync<Receipt>(_container, id, cancellationToken) is { } read
            ? new StoredReceipt(id, read.VerifierId, read.Jws, read.Claims)
            : null;

    /// <summary>Writes a signed receipt (single or batch) as <c>{id}.jwt</c> with its owner in the metadata; a second write under the id fails.</summary>
    internal static async Task WriteOnceAsync(BlobContainerClient container, string id, string jws, string verifierId, CancellationToken cancellationToken)
    {
        var written = await BlobWrites.TryUploadOnceAsync(container.GetBlobClient(id + ".jwt"), BinaryData.FromString(jws), "application/jwt", Metadata(verifierId), cancellationToken);
        if (!written)
        {
            throw new InvalidOperationException($"Receipt {id} exists already; receipts are written once.");
        }
    }

    /// <summary>The blob metadata naming the receipt's owner.</summary>
    internal static Dictionary<string, string> Metadata(string verifierId) => new() { [VerifierMetadata] = Uri.EscapeDataString(verifierId) };

    /// <summary>A stored receipt's token, owner and claims; null when there is none under the (already validated) id.</summary>
    internal static async Task<(string Jws, string VerifierId, T Claims)?> ReadAsync<T>(BlobContainerClient container, string id, CancellationToken cancellationToken)
    {
        try
        {
            var download = await container.GetBlobClient(id + ".jwt").DownloadContentAsync(cancellationToken);
            var jws = download.Value.Content.ToString();
            var verifier = Uri.UnescapeDataString(download.Value.Details.Metadata[VerifierMetadata]);
            return (jws, verifier, Claims<T>(id, jws));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// The claims of a receipt's JWS (whose signature the service made; it is not checked again here). The service's own
    /// tokens only, so not the caller-input limit of <see cref="CompactJws.MaxLength"/>: a 500-item batch receipt is ~200 KB.
    /// </summary>
    internal static T Claims<T>(string id, string jws)
    {
        if (!CompactJws.TryParse(jws, MaxStoredLength, out var parsed, out var error))
        {
            throw new InvalidDataException($"Receipt {id} is not a compact JWS: {error}");
        }

        return ElicenceJson.Deserialize<T>(parsed.Payload) ?? throw new InvalidDataException($"Receipt {id} has no payload.");
    }

    /// <summary>Table keys may not contain / \ # ? or control characters.</summary>
    internal static string KeySafe(string value) => Uri.EscapeDataString(value).Replace("%", "~", StringComparison.Ordinal);
}
