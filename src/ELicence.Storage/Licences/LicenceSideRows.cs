namespace ELicence.Storage.Licences;

/// <summary>
/// Append-only rows "{kind}-{ticks}-{id}" in a licence's partition of the licences table, beside its history: ordered by
/// time, written outside the licence's change transaction (the licence row and its ETag are untouched), under a key that
/// a retry with the same id and time writes again rather than adds. No other query of the partition reads these ranges.
/// </summary>
internal sealed class LicenceSideRows<T>(StorageClients storage, string kind, string column)
{
    private readonly TableClient _table = storage.Table(StorageNames.LicencesTable);
    private readonly string _prefix = kind + "-";
    private readonly string _end = kind + ".";

    public async Task AppendAsync(CreditCode code, DateTimeOffset at, string id, T value, CancellationToken cancellationToken) =>
        await _table.UpsertEntityAsync(
            new TableEntity(code.Value, _prefix + at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + id) { [column] = ElicenceJson.Serialize(value) },
            TableUpdateMode.Replace,
            cancellationToken);

    public async Task<IReadOnlyList<T>> ListAsync(CreditCode code, CancellationToken cancellationToken)
    {
        var partition = code.Value;
        var items = new List<T>();
        await foreach (var e in _table.QueryAsync<TableEntity>(
            x => x.PartitionKey == partition && x.RowKey.CompareTo(_prefix) >= 0 && x.RowKey.CompareTo(_end) < 0, cancellationToken: cancellationToken))
        {
            items.Add(ElicenceJson.Deserialize<T>(e.GetString(column)) ?? throw new InvalidDataException($"Row {e.RowKey} of {partition} is empty."));
        }

        return items;
    }
}
