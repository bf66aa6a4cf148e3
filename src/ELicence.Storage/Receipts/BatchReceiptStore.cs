using Azure.Data.Tables;
using Azure.Storage.Blobs;
using ELicence.Core.Usage;
using ELicence.Core.Verification;
using ELicence.Storage.Usage;

namespace ELicence.Storage.Receipts;

/// <summary>
/// Batch receipts beside the single ones: a write-once blob <c>{id}.jwt</c> in the receipts container, one row in
/// <c>receiptsbyverifier</c>, and in <c>receiptsbylicence</c> one row per checked item whose licence the register holds
/// (row key <c>{id}-{index}</c>, so a licence listed twice in a batch shows both checks), and one usage record per such item.
/// </summary>
public sealed class BatchReceiptStore(StorageClients storage) : IBatchReceiptStore
{
    private const int IndexParallelism = 16;
    private readonly BlobContainerClient _container = storage.Container(StorageNames.ReceiptsContainer);
    private readonly TableClient _byLicence = storage.Table(StorageNames.ReceiptsByLicenceTable);
    private readonly TableClient _byVerifier = storage.Table(StorageNames.ReceiptsByVerifierTable);
    private readonly UsageStore _usage = new(storage);

    public async Task SaveAsync(StoredBatchReceipt receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        await ReceiptStore.WriteOnceAsync(_container, receipt.Id, receipt.Jws, receipt.VerifierId, cancellationToken);

        var batch = receipt.Receipt;
        await _byVerifier.UpsertEntityAsync(
            new TableEntity(ReceiptStore.KeySafe(receipt.VerifierId), receipt.Id)
            {
                ["ReceiptId"] = receipt.Id,
                ["VerifierId"] = receipt.VerifierId,
                ["VerifiedAt"] = batch.VerifiedAt,
                ["Purpose"] = batch.Purpose,
                ["Items"] = batch.Summary.Total,
                ["ValidItems"] = batch.Summary.Valid,
            },
            TableUpdateMode.Replace,
            cancellationToken);

        // Only items whose licence was found: their code came out of the register (or a credential it issued), so it is a valid table key.
        var checkedLicences = batch.Items.Where(i => i.CreditCode is not null && i.Outcome != BatchOutcome.Problem && TableExtensions.IsKeySafe(i.CreditCode));
        await Parallel.ForEachAsync(
            checkedLicences,
            new ParallelOptions { MaxDegreeOfParallelism = IndexParallelism, CancellationToken = cancellationToken },
            async (item, token) =>
            {
                await _byLicence.UpsertEntityAsync(
                    new TableEntity(item.CreditCode!, $"{receipt.Id}-{item.Index:D3}")
                    {
                        ["ReceiptId"] = receipt.Id,
                        ["Item"] = item.Index,
                        ["VerifierId"] = receipt.VerifierId,
                        ["CreditCode"] = item.CreditCode,
                        ["VerifiedAt"] = batch.VerifiedAt,
                        ["Valid"] = item.Outcome == BatchOutcome.Valid,
                        ["Purpose"] = batch.Purpose,
                    },
                    TableUpdateMode.Replace,
                    token);
                var use = new UsageRecord(
                    $"{receipt.Id}_{item.Index:D3}", UsageKind.Verification, batch.VerifiedAt, batch.Verifier.Id, batch.Verifier.Name, batch.Purpose, item.Outcome == BatchOutcome.Valid ? "valid" : "invalid", ReceiptId: receipt.Id);
                await _usage.AppendAsync(CreditCode.FromStored(item.CreditCode!), use, token);
            });
    }

    public async Task<StoredBatchReceipt?> FindAsync(string id, CancellationToken cancellationToken) =>
        // The id names a blob: only the service's own batch receipt ids may.
        BatchReceipt.IsWellFormedId(id) && await ReceiptStore.ReadAsync<BatchReceipt>(_container, id, cancellationToken) is { } read
            ? new StoredBatchReceipt(id, read.VerifierId, read.Jws, read.Claims)
            : null;
}
