using ELicence.Core.Usage;
using ELicence.Storage.Usage;

namespace ELicence.Storage.Receipts;

/// <summary>
/// Receipts as write-once blobs <c>{id}.jwt</c> (a second write under the same name fails; in Azure the container also carries
/// a time-based immutability policy), indexed in two tables: by licence and by verifier, and recorded in the licence's usage
/// (who checked it, for what, with what outcome) under the receipt's id, so a retried save leaves one usage row.
/// </summary>
public sealed class ReceiptStore(StorageClients storage) : IReceiptStore
{
    private const string VerifierMetadata = "verifier";
    private readonly BlobContainerClient _container = storage.Container(StorageNames.ReceiptsContainer);
    private readonly TableClient _byLicence = storage.Table(StorageNames.ReceiptsByLicenceTable);
    private readonly TableClient _byVerifier = storage.Table(StorageNames.ReceiptsByVerifierTable);
    private readonly UsageStore _usage = new(storage);

    public async Task SaveAsync(StoredReceipt receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        await WriteOnceAsync(_container, receipt.Id, receipt.Jws, receipt.VerifierId, cancellationToken);
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
            var r = receipt.Receipt;
            await _usage.AppendAsync(
                CreditCode.FromStored(code),
                new UsageRecord(receipt.Id, UsageKind.Verification, r.VerifiedAt, r.Verifier.Id, r.Verifier.Name, r.Purpose, r.Valid ? "valid" : "invalid", ReceiptId: receipt.Id),
                cancellationToken);
        }

        await _byVerifier.UpsertEntityAsync(new TableEntity(index) { PartitionKey = KeySafe(receipt.VerifierId), RowKey = receipt.Id }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<StoredReceipt?> FindAsync(string id, CancellationToken cancellationToken) =>
        // The id names a blob: only the service's own receipt ids may (never "../x" or "a/b").
        Receipt.IsWellFormedId(id) && await ReadAsync<Receipt>(_container, id, cancellationToken) is { } read
            ? new StoredReceipt(id, read.VerifierId, read.Jws, read.Claims)
            : null;

    /// <summary>Writes a signed receipt (single or batch) as <c>{id}.jwt</c> with its owner in the metadata; a second write under the id fails.</summary>
    internal static async Task WriteOnceAsync(BlobContainerClient container, string id, string jws, string verifierId, CancellationToken cancellationToken)
    {
        var written = await BlobWrites.TryUploadOnceAsync(
            container.GetBlobClient(id + ".jwt"),
            BinaryData.FromString(jws),
            "application/jwt",
            new Dictionary<string, string> { [VerifierMetadata] = Uri.EscapeDataString(verifierId) },
            cancellationToken);
        if (!written)
        {
            throw new InvalidOperationException($"Receipt {id} exists already; receipts are written once.");
        }
    }

    /// <summary>A stored receipt's token, owner and claims; null when there is none under the (already validated) id.</summary>
    internal static async Task<(string Jws, string VerifierId, T Claims)?> ReadAsync<T>(BlobContainerClient container, string id, CancellationToken cancellationToken)
    {
        try
        {
            var download = await container.GetBlobClient(id + ".jwt").DownloadContentAsync(cancellationToken);
            var jws = download.Value.Content.ToString();
            var verifier = Uri.UnescapeDataString(download.Value.Details.Metadata[VerifierMetadata]);
            if (!CompactJws.TryParse(jws, out var parsed, out var error))
            {
                throw new InvalidDataException($"Receipt {id} is not a compact JWS: {error}");
            }

            var claims = ElicenceJson.Deserialize<T>(parsed.Payload) ?? throw new InvalidDataException($"Receipt {id} has no payload.");
            return (jws, verifier, claims);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Table keys may not contain / \ # ? or control characters.</summary>
    internal static string KeySafe(string value) => Uri.EscapeDataString(value).Replace("%", "~", StringComparison.Ordinal);
}
