namespace ELicence.Storage.Receipts;

/// <summary>
/// Batch receipts beside the single ones: a write-once blob <c>{id}.jwt</c> in the receipts container, through the same
/// journal (<see cref="ReceiptJournal"/>; a batch too large for a table property is written blob first). The relay then
/// writes one row in <c>receiptsbyverifier</c>, one usage row per checked item whose licence the register holds (id
/// <c>{id}_{index}</c>, so a licence listed twice in a batch shows both checks) and the batch's log leaf.
/// </summary>
public sealed class BatchReceiptStore(StorageClients storage, ReceiptJournal journal) : IBatchReceiptStore
{
    private readonly BlobContainerClient _container = storage.Container(StorageNames.ReceiptsContainer);

    public async Task SaveAsync(StoredBatchReceipt receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var batch = receipt.Receipt;
        await journal.RecordAsync(
            ReceiptJournal.BatchKind,
            receipt.Id,
            receipt.VerifierId,
            receipt.Jws,
            new Dictionary<string, object?> { ["VerifiedAt"] = batch.VerifiedAt, ["Purpose"] = batch.Purpose, ["Items"] = batch.Summary.Total, ["ValidItems"] = batch.Summary.Valid },
            cancellationToken);
    }

    public async Task<StoredBatchReceipt?> FindAsync(string id, CancellationToken cancellationToken) =>
        // The id names a blob: only the service's own batch receipt ids may.
        BatchReceipt.IsWellFormedId(id) && await ReceiptStore.ReadAsync<BatchReceipt>(_container, id, cancellationToken) is { } read
            ? new StoredBatchReceipt(id, read.VerifierId, read.Jws, read.Claims)
            : null;
}
