using ELicence.Core.Keys;
using ELicence.Core.Receipts;

namespace ELicence.Storage.Receipts;

/// <summary>
/// Receipts as write-once blobs <c>{id}.jwt</c> (a second write under the same name fails; in Azure the container also carries
/// a time-based immutability policy), indexed in two tables: by licence and by verifier.
/// </summary>
public sealed class ReceiptStore(StorageClients storage) : IReceiptStore
{
    private const string VerifierMetadata = "verifier";
    private readonly BlobContainerClient _container = storage.Container(StorageNames.ReceiptsContainer);
    private readonly TableClient _byLicence = storage.Table(StorageNames.ReceiptsByLicenceTable);
    private readonly TableClient _byVerifier = storage.Table(StorageNames.ReceiptsByVerifierTable);

    public async Task SaveAsync(StoredReceipt receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var written = await BlobWrites.TryUploadOnceAsync(
            _container.GetBlobClient(receipt.Id + ".jwt"),
            BinaryData.FromString(receipt.Jws),
            "application/jwt",
            new Dictionary<string, string> { [VerifierMetadata] = Uri.EscapeDataString(receipt.VerifierId) },
            cancellationToken);
        if (!written)
        {
            throw new InvalidOperationException($"Receipt {receipt.Id} exists already; receipts are written once.");
        }

        var index = new TableEntity
        {
            ["ReceiptId"] = receipt.Id,
            ["VerifierId"] = receipt.VerifierId,
            ["CreditCode"] = receipt.Receipt.Subject,
            ["VerifiedAt"] = receipt.Receipt.VerifiedAt,
            ["Valid"] = receipt.Receipt.Valid,
            ["Purpose"] = receipt.Receipt.Purpose,
        };
        if (receipt.Receipt.Subject is { } code)
        {
            await _byLicence.UpsertEntityAsync(new TableEntity(index) { PartitionKey = code, RowKey = receipt.Id }, TableUpdateMode.Replace, cancellationToken);
        }

        await _byVerifier.UpsertEntityAsync(new TableEntity(index) { PartitionKey = KeySafe(receipt.VerifierId), RowKey = receipt.Id }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<StoredReceipt?> FindAsync(string id, CancellationToken cancellationToken)
    {
        // The id names a blob: only the service's own receipt ids may (never "../x" or "a/b").
        if (!Receipt.IsWellFormedId(id))
        {
            return null;
        }

        try
        {
            var download = await _container.GetBlobClient(id + ".jwt").DownloadContentAsync(cancellationToken);
            var jws = download.Value.Content.ToString();
            var verifier = Uri.UnescapeDataString(download.Value.Details.Metadata[VerifierMetadata]);
            if (!CompactJws.TryParse(jws, out var parsed, out var error))
            {
                throw new InvalidDataException($"Receipt {id} is not a compact JWS: {error}");
            }

            var receipt = ElicenceJson.Deserialize<Receipt>(parsed.Payload) ?? throw new InvalidDataException($"Receipt {id} has no payload.");
            return new StoredReceipt(id, verifier, jws, receipt);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Table keys may not contain / \ # ? or control characters.</summary>
    private static string KeySafe(string value) => Uri.EscapeDataString(value).Replace("%", "~", StringComparison.Ordinal);
}
