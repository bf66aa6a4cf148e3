using System.Globalization;
using System.Security.Cryptography;
using ELicence.Core.Callers;
using ELicence.Core.CreditCodes;
using ELicence.Core.Licences;
using ELicence.Core.Signatures;

namespace ELicence.Core.AnnualReports;

/// <summary>A report as the public register shows it: the year, when it was filed, and its public part only.</summary>
public sealed record PublicAnnualReport(int Year, int Version, DateOnly FiledOn, bool Late, AnnualReportPublicPart Report);

/// <summary>
/// Annual reports (年度报告, 企业信息公示暂行条例 art. 8): the holder files the previous year's report between 1 January and
/// the deadline (30 June), signed with the licence; a correction is a new version; a late filing is accepted and marked
/// late. The registrar reads every version and may reject one with a reason; the public sees the public part of what is on file.
/// </summary>
public sealed class AnnualReportService(
    IAnnualReportStore reports,
    LicenceQueries queries,
    ILicenceStore licences,
    LicenceSigning signing,
    AnnualReportOptions options,
    ICreditCodeExceptions codeExceptions,
    TimeProvider time)
{
    public async Task<AnnualReport> FileAsync(Caller caller, string code, string year, AnnualReportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var licence = await queries.GetLicenceAsync(caller, code, cancellationToken);
        caller.EnsureHolderMay(licence.Code, HolderScope.Report);
        var reportYear = ParseYear(year);
        var content = request.Validate();
        var now = time.GetUtcNow();
        var today = ChinaTime.DateOf(now);
        EnsureDue(licence, reportYear, today);
        if (licence.Status is LicenceStatus.Revoked or LicenceStatus.Deregistered)
        {
            throw new ProblemException(ProblemType.InvalidTransition, $"Licence {licence.Code} is {LicenceLifecycle.Kebab(licence.Status)}: a business that no longer holds a licence files no annual report.",
                extensions: new Dictionary<string, object?> { ["currentStatus"] = LicenceLifecycle.Kebab(licence.Status) });
        }

        var versions = (await reports.ListAsync(licence.Code, cancellationToken)).Where(r => r.Year == reportYear).ToList();
        var current = versions.Count == 0 ? null : versions[^1];
        if (current is { State: AnnualReportState.Filed } && current.Content.SameAs(content))
        {
            throw new ProblemException(ProblemType.Conflict, $"This is the report for {reportYear} already on file as version {current.Version} (filed on {current.FiledOn:yyyy-MM-dd}); nothing was filed. Send a correction with what changed.",
                extensions: new Dictionary<string, object?> { ["version"] = current.Version });
        }

        var version = (current?.Version ?? 0) + 1;
        var document = ElicenceJson.SerializeToUtf8(new { creditCode = licence.Code.Value, year = reportYear, version, report = content });
        var signed = await signing.SignDigestAsync(caller, licence, SHA256.HashData(document),
            string.Create(CultureInfo.InvariantCulture, $"{reportYear} 年度报告 / Annual report {reportYear}, version {version}"), $"annual-report:{reportYear}", cancellationToken);
        var report = new AnnualReport(licence.Code.Value, reportYear, version, AnnualReportState.Filed, now, today, today > options.DeadlineFor(reportYear), caller.Actor, content,
            signed.DocumentSha256, signed.Signature, signed.Attestation.Id);
        if (!await reports.TryAddAsync(report, cancellationToken))
        {
            throw new ProblemException(ProblemType.Conflict, $"Another filing of the report for {reportYear} was made at the same time; nothing of this one was kept. Read the reports and retry.");
        }

        await UpdateStandingAsync(licence.Code, cancellationToken);
        return report;
    }

    /// <summary>Every version of every year, for the registrar and the licence's holders (owner, administrators, agents with <c>report</c>).</summary>
    public async Task<IReadOnlyList<AnnualReport>> ListAsync(Caller caller, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var licence = await queries.GetLicenceAsync(caller, code, cancellationToken);
        if (caller.Role == Role.Holder)
        {
            caller.EnsureHolderMay(licence.Code, HolderScope.Report);
        }

        return await reports.ListAsync(licence.Code, cancellationToken);
    }

    /// <summary>The registrar rejects the version on file for the year, with a reason: the year then counts as not filed.</summary>
    public async Task<AnnualReport> RejectAsync(Caller registrar, string code, string year, ReasonRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        ArgumentNullException.ThrowIfNull(request);
        var reportYear = ParseYear(year);
        var reason = RequestText.Reason(request.Reason);
        var creditCode = codeExceptions.ParseField(code);
        var versions = (await reports.ListAsync(creditCode, cancellationToken)).Where(r => r.Year == reportYear).ToList();
        var current = versions.Count == 0 ? throw ProblemException.NotFound($"Licence {creditCode} has no annual report for {reportYear}.") : versions[^1];
        if (current.State == AnnualReportState.Rejected)
        {
            throw new ProblemException(ProblemType.Conflict, $"Version {current.Version} of the report for {reportYear} was already rejected by {current.RejectedBy?.Name}: {current.RejectionReason}");
        }

        var rejected = current with { State = AnnualReportState.Rejected, RejectedBy = registrar.Actor, RejectedAt = time.GetUtcNow(), RejectionReason = reason };
        if (!await reports.TryReplaceAsync(rejected, cancellationToken))
        {
            throw new ProblemException(ProblemType.Conflict, $"The report for {reportYear} changed at the same time; read it again.");
        }

        await UpdateStandingAsync(creditCode, cancellationToken);
        return rejected with { ETag = null };
    }

    /// <summary>What anyone may read: for each year, the public part of the version on file.</summary>
    public async Task<IReadOnlyList<PublicAnnualReport>> PublicAsync(string code, CancellationToken cancellationToken)
    {
        var creditCode = codeExceptions.ParseField(code, "code");
        _ = await licences.GetCurrentAsync(creditCode, cancellationToken);
        return [.. OnFile(await reports.ListAsync(creditCode, cancellationToken)).Select(r => new PublicAnnualReport(r.Year, r.Version, r.FiledOn, r.Late, r.Content.Public))];
    }

    /// <summary>Whether a report for the year is on file (filed, its latest version not rejected).</summary>
    public async Task<bool> IsOnFileAsync(CreditCode code, int year, CancellationToken cancellationToken) =>
        OnFile(await reports.ListAsync(code, cancellationToken)).Any(r => r.Year == year);

    /// <summary>The latest version of each year, when it is on file, by year.</summary>
    private static IEnumerable<AnnualReport> OnFile(IEnumerable<AnnualReport> all) =>
        all.GroupBy(r => r.Year).Select(g => g.MaxBy(r => r.Version)!).Where(r => r.State == AnnualReportState.Filed).OrderBy(r => r.Year);

    private async Task UpdateStandingAsync(CreditCode code, CancellationToken cancellationToken)
    {
        var latest = OnFile(await reports.ListAsync(code, cancellationToken)).LastOrDefault();
        await reports.SetStandingAsync(code, latest is null ? null : new AnnualReportStanding(latest.Year, latest.Version, latest.FiledOn, latest.Late), cancellationToken);
    }

    private static int ParseYear(string year) =>
        year is { Length: 4 } && int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= 1900
            ? parsed
            : throw ProblemException.Invalid("year", "The report's year, four digits such as 2026.");

    private static void EnsureDue(Licence licence, int year, DateOnly today)
    {
        if (year >= today.Year)
        {
            throw ProblemException.Invalid("year", $"The report for {year} is not due yet: it can be filed from 1 January {year + 1} (China time).");
        }

        if (year < licence.Details.EstablishedOn.Year)
        {
            throw ProblemException.Invalid("year", $"The business was established on {licence.Details.EstablishedOn:yyyy-MM-dd}; there is no report for {year}.");
        }
    }
}
