using System.Globalization;
using ELicence.Core.Callers;
using ELicence.Core.Licences;

namespace ELicence.Core.AnnualReports;

/// <summary>
/// The day after the filing deadline (1 July, China time): every active licence that existed before the past year began and
/// has no report for it on file is put on the abnormal-operations list (条例 art. 17) with reason <c>annual-report-not-filed</c>,
/// through the normal commit path (status lists, webhooks, feed and log follow). Repeatable: a listed licence is no longer
/// active, and a run before the deadline has passed lists nothing.
/// </summary>
public sealed class AnnualReportTimer(ILicenceStore licences, LicenceChangeCommitter committer, AnnualReportService reports, AnnualReportOptions options)
{
    public const string ReasonCode = "annual-report-not-filed";

    /// <summary>Lists the licences whose report for the past year is missing; answers how many it listed.</summary>
    public async Task<int> ListMissingReportsAsync(CancellationToken cancellationToken)
    {
        var now = committer.Time.GetUtcNow();
        var today = ChinaTime.DateOf(now);
        var year = today.Year - 1;
        var deadline = options.DeadlineFor(year);
        if (today <= deadline)
        {
            return 0; // the report for the past year may still be filed
        }

        var listed = 0;
        var yearBegan = new DateOnly(year, 1, 1);
        await foreach (var licence in licences.FindByStatusAsync(LicenceStatus.Active, cancellationToken))
        {
            if (licence.Details.EstablishedOn >= yearBegan || await reports.IsOnFileAsync(licence.Code, year, cancellationToken))
            {
                continue; // established during the year (its first report is for this one), or filed
            }

            var reason = string.Create(CultureInfo.InvariantCulture, $"未按期公示 {year} 年度报告（截止 {deadline:yyyy-MM-dd}）/ The annual report for {year} was not filed by {deadline:yyyy-MM-dd}.");
            var updated = licence with { Status = LicenceStatus.Suspended, StatusDetail = new StatusDetail(now, ReasonCode, reason, today, null) };
            // A licence changed meanwhile is looked at again on the next run (it may have been suspended for another reason).
            if (await committer.TryCommitAsync(new PlannedChange(Actor.AnnualReportTimer, licence, updated, "suspended", reason), cancellationToken) is not null)
            {
                listed++;
            }
        }

        return listed;
    }
}

/// <summary>A listing the annual-report timer made is lifted only once the missing report is on file (a late filing); a clerk's own listing is the clerk's to judge.</summary>
public sealed class AnnualReportReinstatementCheck(ILicenceStore licences, AnnualReportService reports) : IReinstatementCheck
{
    public async Task EnsureMayReinstateAsync(Licence licence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(licence);
        var detail = licence.StatusDetail;
        if (detail.ReasonCode != AnnualReportTimer.ReasonCode || detail.EffectiveOn is not { } listedOn)
        {
            return;
        }

        var history = await licences.GetHistoryAsync(licence.Code, cancellationToken);
        var listing = history.LastOrDefault(e => e.Type == "suspended");
        if (listing?.ActorId != Actor.AnnualReportTimer.Id)
        {
            return;
        }

        var year = listedOn.Year - 1;
        if (!await reports.IsOnFileAsync(licence.Code, year, cancellationToken))
        {
            throw new ProblemException(
                ProblemType.InvalidTransition,
                $"Licence {licence.Code} was listed because its annual report for {year} was not filed; it can be reinstated once the business has filed it (POST /api/v1/licences/{licence.Code}/annual-reports/{year}).",
                extensions: new Dictionary<string, object?> { ["missingAnnualReport"] = year });
        }
    }
}
