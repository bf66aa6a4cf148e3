using ELicence.Core.AnnualReports;

namespace ELicence.Storage.AnnualReports;

/// <summary>
/// Table <c>annualreports</c>, one partition per licence, one row per version (<c>{year}-v{nnn}</c>, added once, replaced
/// only to mark it rejected); and the standing, one row <c>annual-report</c> in the licence's partition of the licences
/// table, so the verification read of the licence (one partition query) returns it without another round trip.
/// </summary>
public sealed class AnnualReportStore(StorageClients storage) : IAnnualReportStore
{
    /// <summary>The row of the licences table that holds the standing (read by <see cref="Licences.LicenceStore"/>).</summary>
    internal const string StandingRow = "annual-report";
    private readonly TableClient _reports = storage.Table(StorageNames.AnnualReportsTable);
    private readonly TableClient _licences = storage.Table(StorageNames.LicencesTable);

    public async Task<bool> TryAddAsync(AnnualReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        try
        {
            await _reports.AddEntityAsync(ToEntity(report), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<AnnualReport>> ListAsync(CreditCode code, CancellationToken cancellationToken)
    {
        var partition = code.Value;
        var found = new List<AnnualReport>();
        await foreach (var e in _reports.QueryAsync<TableEntity>(x => x.PartitionKey == partition, cancellationToken: cancellationToken))
        {
            found.Add((ElicenceJson.Deserialize<AnnualReport>(e.GetString("Report")) ?? throw new InvalidDataException($"Annual report {e.RowKey} of {partition} is empty.")) with { ETag = e.ETag.ToString() });
        }

        return [.. found.OrderBy(r => r.Year).ThenBy(r => r.Version)];
    }

    public async Task<bool> TryReplaceAsync(AnnualReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        try
        {
            await _reports.UpdateEntityAsync(ToEntity(report), new ETag(report.ETag!), TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    public async Task SetStandingAsync(CreditCode code, AnnualReportStanding? standing, CancellationToken cancellationToken)
    {
        if (standing is null)
        {
            try
            {
                await _licences.DeleteEntityAsync(code.Value, StandingRow, ETag.All, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // nothing was on file
            }

            return;
        }

        // Written from the versions each time, so the last writer states what is on file; it never touches the licence row or its ETag.
        await _licences.UpsertEntityAsync(new TableEntity(code.Value, StandingRow) { ["Standing"] = ElicenceJson.Serialize(standing) }, TableUpdateMode.Replace, cancellationToken);
    }

    internal static AnnualReportStanding? StandingOf(TableEntity row) => ElicenceJson.Deserialize<AnnualReportStanding>(row.GetString("Standing"));

    private static TableEntity ToEntity(AnnualReport r) => new(r.CreditCode, string.Create(CultureInfo.InvariantCulture, $"{r.Year:D4}-v{r.Version:D3}"))
    {
        ["Report"] = ElicenceJson.Serialize(r with { ETag = null }),
        ["State"] = r.State.ToString(),
    };
}
