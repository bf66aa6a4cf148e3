using ELicence.Core.AnnualReports;

namespace ELicence.Functions.AnnualReports;

/// <summary>
/// Annual reports: the holder files (owner, administrators, agents with <c>report</c>), the registrar reads and may reject,
/// anyone reads the public part of what is on file; and the 1 July timer that lists licences whose report is missing.
/// </summary>
public sealed class AnnualReportFunctions(HttpApi<AnnualReportFunctions> api, AnnualReportService reports, AnnualReportTimer listing)
{
    /// <summary>Files the report for a past year (a correction is a new version); 201 with the signed version.</summary>
    [Function("FileAnnualReport")]
    [Endpoint(Access.Holder, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> File([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/annual-reports/{year}")] HttpRequest req, string code, string year) =>
        api.RunAsync(req, async call =>
        {
            var report = await reports.FileAsync(call.Caller, code, year, await call.ReadJsonAsync<AnnualReportRequest>(), call.Cancellation);
            return ApiResults.Json(report, StatusCodes.Status201Created, new Dictionary<string, string> { ["Location"] = $"/api/v1/licences/{report.CreditCode}/annual-reports" });
        });

    /// <summary>Every version of every year, private part included: the registrar and the licence's holders.</summary>
    [Function("ListAnnualReports")]
    [Endpoint(Access.RegistrarOrHolder, Cache = CachePolicy.PrivateNoStore)]
    public Task<IActionResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/licences/{code}/annual-reports")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(new AnnualReportList([.. (await reports.ListAsync(call.Caller, code, call.Cancellation)).Select(r => r with { ETag = null })])));

    [Function("RejectAnnualReport")]
    [Endpoint(Access.Registrar, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> Reject([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/annual-reports/{year}/rejection")] HttpRequest req, string code, string year) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(await reports.RejectAsync(call.Caller, code, year, await call.ReadJsonAsync<ReasonRequest>(), call.Cancellation)));

    /// <summary>The public register's view: for each year, the public part of the version on file.</summary>
    [Function("PublicAnnualReports")]
    [Endpoint(Access.Anyone, Cache = CachePolicy.PublicMinute)]
    public Task<IActionResult> Public([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/register/annual-reports/{code}")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(new PublicAnnualReportList(code.Trim().ToUpperInvariant(), await reports.PublicAsync(code, call.Cancellation))));

    /// <summary>1 July 00:00 China time by default (the app setting <c>Timers_ListMissingAnnualReports</c>); a repeated run lists nobody twice.</summary>
    [Function("ListMissingAnnualReports")]
    public Task ListMissing([TimerTrigger("%Timers_ListMissingAnnualReports%")] TimerInfo timer, CancellationToken cancellationToken) =>
        listing.ListMissingReportsAsync(cancellationToken);
}

/// <summary>The answer of <c>GET …/annual-reports</c>.</summary>
public sealed record AnnualReportList(IReadOnlyList<AnnualReport> Reports);

/// <summary>The answer of <c>GET /api/v1/register/annual-reports/{code}</c>.</summary>
public sealed record PublicAnnualReportList(string CreditCode, IReadOnlyList<PublicAnnualReport> Reports);
