using System.Security.Cryptography;
using System.Text;

namespace ELicence.Storage.Receipts;

/// <summary>A journal row as the relay reads it: which receipt, of which kind and owner, and its JWS when the row holds it.</summary>
public sealed record JournalRow(string Partition, string Id, string Kind, string VerifierId, string? Jws);

/// <summary>
/// The hot path of a receipt (single or batch): one row in table <c>receiptjournal</c>, then the write-once blob, then a kick
/// to <see cref="ReceiptRelay"/>, which writes the usage rows, the by-verifier index row and the log leaf and deletes the
/// row. Partition <c>{yyyyMMddHHmm}-s{0..3}</c> (the minute the row is written, by this instance's clock, and a shard of the
/// receipt id, so no single partition takes every receipt), row key the receipt id.
/// </summary>
/// <remarks>
/// Journal first, blob second, so that a crash at any step loses nothing and duplicates nothing: no row, no blob → the
/// request failed and no receipt exists; a row without its blob → the relay writes the blob from the row (the receipt is the
/// record); both → the relay finishes the indexes. The other order could leave a blob no index or log ever learns of. A
/// JWS too large for a table property (<see cref="MaxJwsLength"/>; a big batch) takes the blob-first path instead: blob,
/// then a row without the JWS, from which the relay reads the blob.
/// </remarks>
public sealed class ReceiptJournal(StorageClients storage, ReceiptRelay relay, TimeProvider time)
{
    /// <summary>A table string property holds 64 KiB of UTF-16: 32,768 characters. A single receipt is a few thousand.</summary>
    public const int MaxJwsLength = 32 * 1024;

    public const int Shards = 4;
    public const string SingleKind = "receipt";
    public const string BatchKind = "batch-receipt";
    private readonly TableClient _table = storage.Table(StorageNames.ReceiptJournalTable);
    private readonly BlobContainerClient _container = storage.Container(StorageNames.ReceiptsContainer);

    /// <summary>The partition of a receipt journaled at <paramref name="at"/>.</summary>
    public static string PartitionOf(DateTimeOffset at, string id) =>
        Bucket(at) + "-s" + (SHA256.HashData(Encoding.UTF8.GetBytes(id))[0] % Shards).ToString(CultureInfo.InvariantCulture);

    /// <summary>The minute bucket a partition key starts with; partition keys sort by it.</summary>
    public static string Bucket(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    /// <summary>
    /// Records a signed receipt: journal row and blob (or blob then row when the JWS is too large), then kicks the relay.
    /// A second record under the same id fails and leaves the first.
    /// </summary>
    /// <param name="index">The receipt's index fields, kept on the row beside the JWS for operators (the relay reads the JWS).</param>
    public async Task RecordAsync(string kind, string id, string verifierId, string jws, IReadOnlyDictionary<string, object?> index, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jws);
        ArgumentNullException.ThrowIfNull(index);
        var fits = jws.Length <= MaxJwsLength;
        if (!fits)
        {
            await ReceiptStore.WriteOnceAsync(_container, id, jws, verifierId, cancellationToken);
        }

        var row = new JournalRow(PartitionOf(time.GetUtcNow(), id), id, kind, verifierId, fits ? jws : null);
        var entity = Entity(row);
        foreach (var (name, value) in index)
        {
            entity[name] = value;
        }

        try
        {
            await _table.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            throw new InvalidOperationException($"Receipt {id} exists already; receipts are written once.", e);
        }

        if (fits)
        {
            await WriteBlobAsync(row, jws, cancellationToken);
        }

        relay.Kick(row);
    }

    /// <summary>The row as stored; tests use it to stage what a crashed instance leaves behind.</summary>
    public static TableEntity Entity(JournalRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new TableEntity(row.Partition, row.Id) { ["Kind"] = row.Kind, ["VerifierId"] = row.VerifierId, ["Jws"] = row.Jws };
    }

    private async Task WriteBlobAsync(JournalRow row, string jws, CancellationToken cancellationToken)
    {
        try
        {
            await ReceiptStore.WriteOnceAsync(_container, row.Id, jws, row.VerifierId, cancellationToken);
        }
        catch (InvalidOperationException)
        {
            // The relay may have written it from this very row (a sweep of a request slower than its skew margin): the same
            // bytes are success. Anything else under this id is another receipt: withdraw the row and fail.
            if ((await ReceiptStore.ReadAsync<object>(_container, row.Id, cancellationToken))?.Jws == jws)
            {
                return;
            }

            await _table.DeleteEntityAsync(row.Partition, row.Id, ETag.All, cancellationToken);
            throw;
        }
    }
}
