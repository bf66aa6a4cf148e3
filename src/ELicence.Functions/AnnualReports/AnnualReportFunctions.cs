using ELicence.Core.AnnualReports;

namespace ELicence.Functions.AnnualReports;

/// <summary>
/// Annual reports: the holder files (owner, administrators, agents with <c>report</c>), the registrar reads and may reject,
/// anyone reads the public part of what is on file; and the 1 July timer that lists licences whose report is missing.
/// </summary>
public sealed class AnnualReportFunctions(HttpApi api, AnnualReportService reports, AnnualReportTimer listing)
{
    private static readonly Dictionary<string, string> NoStore = new() { ["Cache-Control"] = "no-store" };

    /// <summary>Files the report for a past year (a correction is a new version); 201 with the signed version.</summary>
    [Function("FileAnnualReport")]
    public Task<IActionResult> File([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/annual-reports/{year}")] HttpRequest req, string code, string year) =>
        api.RunAsync(req, Access.Holder, async caller =>
        {
            var report = await reports.FileAsync(caller, code, year, await HttpApi.ReadJsonAsync<AnnualReportRequest>(req), req.HttpContext.RequestAborted);
            return ApiResults.Json(report, StatusCodes.Status201Created, new Dictionary<string, string>
            {
                ["Location"] = $"/api/v1/licences/{report.CreditCode}/annual-reports",
                ["Cache-Control"] = "no-store",
            });
        });

    /// <summary>Every version of every year, private part included: the registrar and the licence's holders.</summary>
    [Function("ListAnnualReports")]
    public Task<IActionResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/licences/{code}/annual-reports")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.RegistrarOrHolder, async caller =>
            ApiResults.Json(new { reports = (await reports.ListAsync(caller, code, req.HttpContext.RequestAborted)).Select(r => r with { ETag = null }) }, StatusCodes.Status200OK, NoStore));

    [Function("RejectAnnualReport")]
    public Task<IActionResult> Reject([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/annual-reports/{year}/rejection")] HttpRequest req, string code, string year) =>
        api.RunAsync(req, Access.Registrar, async caller =>
            ApiResults.Json(await reports.RejectAsync(caller, code, year, await HttpApi.ReadJsonAsync<ReasonRequest>(req), req.HttpContext.RequestAborted), StatusCodes.Status200OK, NoStore));

    /// <summary>The public register's view: for each year, the public part of the version on file.</summary>
    [Function("PublicAnnualReports")]
    public Task<IActionResult> Public([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/register/annual-reports/{code}")] HttpRequest req, string code) =>
        api.RunAnonymousAsync(req, async () =>
            ApiResults.Json(new { creditCode = code.Trim().ToUpperInvariant(), reports = await reports.PublicAsync(code, req.HttpContext.RequestAborted) }, StatusCodes.Status200OK,
                new Dictionary<string, string> { ["Cache-Control"] = "public, max-age=60" }));

    /// <summary>1 July 00:00 China time by default (the app setting <c>AnnualReportListingSchedule</c>); a repeated run lists nobody twice.</summary>
    [Function("ListMissingAnnualReports")]
    public Task ListMissing([TimerTrigger("%AnnualReportListingSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        listing.ListMissingReportsAsync(cancellationToken);
}
