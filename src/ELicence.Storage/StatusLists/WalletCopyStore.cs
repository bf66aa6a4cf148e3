namespace ELicence.Storage.StatusLists;

/// <summary>
/// Wallet copies in table "walletcopies": partition = credit code, row = status index (12 digits), added once. Revocation
/// replaces a row under its ETag (a concurrent revocation of the same row changes nothing more).
/// </summary>
public sealed class WalletCopyStore(StorageClients storage, ICreditCodeExceptions codeExceptions) : IWalletCopyStore
{
    private readonly TableClient _table = storage.Table(StorageNames.WalletCopiesTable);

    public Task AddAsync(WalletCopy copy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(copy);
        return _table.TryAddAsync(new TableEntity(copy.Code.Value, Row(copy.Index))
        {
            ["Index"] = copy.Index,
            ["Version"] = copy.Version,
            ["HolderKeyId"] = copy.HolderKeyId,
            ["HolderExpiresAt"] = copy.HolderExpiresAt,
            ["IssuedAt"] = copy.IssuedAt,
        }, cancellationToken);
    }

    public async Task<WalletCopy?> FindAsync(CreditCode code, long index, CancellationToken cancellationToken) =>
        await _table.FindAsync<TableEntity>(code.Value, Row(index), cancellationToken) is { } row ? Read(code, row) : null;

    public async Task<IReadOnlyList<WalletCopy>> ListAsync(CreditCode code, CancellationToken cancellationToken)
    {
        var copies = new List<WalletCopy>();
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == code.Value, cancellationToken: cancellationToken))
        {
            copies.Add(Read(code, row));
        }

        return copies;
    }

    public async Task<int> RevokeAsync(CreditCode code, string? holderKeyId, DateTimeOffset at, CancellationToken cancellationToken, bool expiredOnly = false)
    {
        var changed = 0;
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == code.Value, cancellationToken: cancellationToken))
        {
            var copy = Read(code, row);
            var applies = expiredOnly ? copy.HolderExpiresAt <= at : holderKeyId is null || copy.HolderKeyId == holderKeyId;
            if (copy.RevokedAt is null && applies)
            {
                row["RevokedAt"] = at;
                if (await _table.TryReplaceAsync(row, row.ETag, cancellationToken))
                {
                    changed++;
                }
            }
        }

        return changed;
    }

    public async IAsyncEnumerable<CreditCode> FindExpiredAsync(DateTimeOffset now, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? last = null;
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"HolderExpiresAt le {now}"), cancellationToken: cancellationToken))
        {
            if (row.GetDateTimeOffset("RevokedAt") is null && row.PartitionKey != last && CreditCode.TryParse(row.PartitionKey, out var code, codeExceptions))
            {
                last = row.PartitionKey;
                yield return code!.Value;
            }
        }
    }

    private static WalletCopy Read(CreditCode code, TableEntity row) => new(
        code,
        row.GetInt64("Index") ?? long.Parse(row.RowKey, CultureInfo.InvariantCulture),
        row.GetInt32("Version") ?? 0,
        row.GetString("HolderKeyId"),
        row.GetDateTimeOffset("HolderExpiresAt"),
        row.GetDateTimeOffset("IssuedAt") ?? DateTimeOffset.MinValue,
        row.GetDateTimeOffset("RevokedAt"));

    private static string Row(long index) => index.ToString("D12", CultureInfo.InvariantCulture);
}
