using ELicence.Core.Register;

namespace ELicence.Storage.Register;

/// <summary>
/// The search index in Table Storage: PartitionKey = the term (<c>g:</c> bigram, <c>w:</c> word, <c>c:</c> code fragment),
/// RowKey = the credit code, one property with the hit's summary; and a mark per licence (PartitionKey <c>m:{code}</c>).
/// A query reads a few partitions by PartitionKey equality, which the Table service serves from one partition range.
/// </summary>
public sealed class RegisterIndexStore(StorageClients storage) : IRegisterIndex
{
    private const string MarkRow = "mark";
    private const int WriteConcurrency = 8;
    private readonly TableClient _table = storage.Table(StorageNames.RegisterIndexTable);

    public async Task<IndexedLicence?> FindMarkAsync(CreditCode code, CancellationToken cancellationToken)
    {
        var mark = await _table.FindAsync<TableEntity>(MarkPartition(code.Value), MarkRow, cancellationToken);
        return mark is null ? null : Doc(mark);
    }

    public async Task WriteAsync(IndexedLicence licence, IReadOnlyList<string> terms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(licence);
        ArgumentNullException.ThrowIfNull(terms);
        var doc = ElicenceJson.Serialize(licence);
        // Each term is its own partition, so no transaction spans them: the mark, written last, says the rows are complete.
        await Parallel.ForEachAsync(
            terms.Where(TableExtensions.IsKeySafe),
            new ParallelOptions { MaxDegreeOfParallelism = WriteConcurrency, CancellationToken = cancellationToken },
            async (term, ct) => await _table.UpsertEntityAsync(new TableEntity(term, licence.CreditCode) { ["Doc"] = doc }, TableUpdateMode.Replace, ct));
        await _table.UpsertEntityAsync(new TableEntity(MarkPartition(licence.CreditCode), MarkRow) { ["Doc"] = doc }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<TermPostings> ReadTermAsync(string term, int cap, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(term);
        if (!TableExtensions.IsKeySafe(term))
        {
            return new TermPostings([], true);
        }

        var licences = new List<IndexedLicence>();
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == term, maxPerPage: Math.Min(cap + 1, 1000), select: ["Doc"], cancellationToken: cancellationToken))
        {
            if (licences.Count == cap)
            {
                return new TermPostings(licences, false);
            }

            licences.Add(Doc(row));
        }

        return new TermPostings(licences, true);
    }

    /// <summary>Writes the rows of many licences at once, grouped per term partition into batch transactions: the bulk load of the benchmark.</summary>
    public async Task BulkLoadAsync(IReadOnlyList<IndexedLicence> licences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(licences);
        var rows = licences
            .SelectMany(l => l.Terms().Where(TableExtensions.IsKeySafe).Select(t => new TableEntity(t, l.CreditCode) { ["Doc"] = ElicenceJson.Serialize(l) })
                .Append(new TableEntity(MarkPartition(l.CreditCode), MarkRow) { ["Doc"] = ElicenceJson.Serialize(l) }))
            .GroupBy(r => r.PartitionKey, StringComparer.Ordinal)
            .SelectMany(g => g.Chunk(100))
            .ToList();
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = WriteConcurrency, CancellationToken = cancellationToken }, async (chunk, ct) =>
            await _table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), ct));
    }

    private static string MarkPartition(string code) => "m:" + code;

    private static IndexedLicence Doc(TableEntity row) =>
        ElicenceJson.Deserialize<IndexedLicence>(row.GetString("Doc")) ?? throw new InvalidOperationException($"Index row {row.PartitionKey}/{row.RowKey} has no document.");
}
