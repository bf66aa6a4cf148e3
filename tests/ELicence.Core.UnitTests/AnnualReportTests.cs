using ELicence.Core.AnnualReports;
using ELicence.Core.Signatures;

namespace ELicence.Core.UnitTests;

/// <summary>
/// Annual reports over the in-memory register and a fake clock: filing between 1 January and 30 June for the past year, a
/// correction as a new version, and on 1 July (China time) the listing of every licence whose report is missing.
/// </summary>
public sealed class AnnualReportTests
{
    /// <summary>1 March 2027, 10:00 China time: the report for 2026 is due.</summary>
    private static readonly DateTimeOffset InTime = new(2027, 3, 1, 2, 0, 0, TimeSpan.Zero);

    /// <summary>1 July 2027, 00:00:01 China time: the deadline has passed.</summary>
    private static readonly DateTimeOffset DayAfterDeadline = new(2027, 6, 30, 16, 0, 1, TimeSpan.Zero);

    private static readonly Caller Clerk = Caller.Registrar("registrar:test", "登记员王", RegistrarRole.Clerk, Actor.Key("0000000000000001", "登记员王"));
    private readonly InMemoryRegister _register = new(InTime);
    private readonly InMemoryAnnualReportStore _store = new();
    private readonly RecordingSigningLogs _logs = new();
    private readonly AnnualReportOptions _options = new();
    private readonly AnnualReportService _reports;
    private readonly AnnualReportTimer _timer;
    private readonly RegistrarActions _actions;

    public AnnualReportTests()
    {
        var signing = new LicenceSigning(_register.Queries, _register.Keys, _logs, _logs, _register.Issuer, _register.Clock);
        _reports = new AnnualReportService(_store, _register.Queries, _register.Licences, signing, _options, CreditCodeExceptionList.None, _register.Clock);
        _timer = new AnnualReportTimer(_register.Licences, _register.Committer, _reports, _options);
        _actions = new RegistrarActions(_register.Committer, _register.Sequence, _register.Licences, new AnnualReportReinstatementCheck(_register.Licences, _reports));
    }

    [Fact]
    public async Task A_report_filed_in_time_is_signed_with_the_licence_on_file_and_only_its_public_part_is_public()
    {
        var licence = Seed(7, establishedOn: new DateOnly(2025, 5, 1));

        var filed = await _reports.FileAsync(Owner(licence), licence.Code.Value, "2026", Report(), default);
        var published = Assert.Single(await _reports.PublicAsync(licence.Code.Value, default));

        Assert.Equal((2026, 1, AnnualReportState.Filed, false, new DateOnly(2027, 3, 1)), (filed.Year, filed.Version, filed.State, filed.Late, filed.FiledOn));
        Assert.Matches("^[A-Za-z0-9_-]+\\.\\.[A-Za-z0-9_-]+$", filed.Signature); // a detached JWS, as every licence signature
        var signature = Assert.Single(_logs.Signatures);
        Assert.Equal((filed.SignatureId, filed.DocumentSha256, "annual-report:2026"), (signature.Id, signature.DocumentSha256, signature.Purpose));
        Assert.Equal([new PublishedFigure(FinancialFigure.Revenue, 3_200_000m)], published.Report.Financials); // only the figure chosen
        Assert.DoesNotContain("李会计", Serialization.ElicenceJson.Serialize(published), StringComparison.Ordinal);
        Assert.Equal(new AnnualReportStanding(2026, 1, new DateOnly(2027, 3, 1), false), _store.StandingOf(licence.Code));
    }

    [Theory]
    [InlineData("2027", "not due yet")]
    [InlineData("2030", "not due yet")]
    [InlineData("2024", "established on 2025-05-01")]
    [InlineData("26", "four digits")]
    public async Task A_year_not_yet_due_or_before_the_business_existed_is_refused_naming_the_year(string year, string why)
    {
        var licence = Seed(7, establishedOn: new DateOnly(2025, 5, 1));

        var refused = await Assert.ThrowsAsync<ProblemException>(() => _reports.FileAsync(Owner(licence), licence.Code.Value, year, Report(), default));

        Assert.Equal("year", refused.Errors.Single().Field);
        Assert.Contains(why, refused.Errors.Single().Message, StringComparison.Ordinal);
        Assert.Empty(await _reports.ListAsync(Clerk, licence.Code.Value, default));
    }

    [Fact]
    public async Task An_invalid_report_names_every_bad_field_and_files_nothing()
    {
        var licence = Seed(7);
        var bad = Report() with { ContactAddress = " ", Employees = -1, Website = "ftp://x", Financials = Report().Financials! with { TotalAssets = -5m, Revenue = 1.005m }, PublishFinancials = [FinancialFigure.Revenue, FinancialFigure.Revenue] };

        var refused = await Assert.ThrowsAsync<ProblemException>(() => _reports.FileAsync(Owner(licence), licence.Code.Value, "2026", bad, default));

        Assert.Equal(["contactAddress", "website", "employees", "financials.totalAssets", "financials.revenue", "publishFinancials"], refused.Errors.Select(e => e.Field));
        Assert.Empty(_logs.Signatures);
    }

    [Fact]
    public async Task A_repeated_filing_is_refused_and_a_correction_is_a_new_version_with_the_first_kept()
    {
        var licence = Seed(7);
        await _reports.FileAsync(Owner(licence), licence.Code.Value, "2026", Report(), default);

        var duplicate = await Assert.ThrowsAsync<ProblemException>(() => _reports.FileAsync(Owner(licence), licence.Code.Value, "2026", Report(), default));
        var corrected = await _reports.FileAsync(Owner(licence), licence.Code.Value, "2026", Report() with { Employees = 13 }, default);

        Assert.Equal(ProblemType.Conflict, duplicate.Type);
        Assert.Equal(2, corrected.Version);
        Assert.Equal([12, 13], (await _reports.ListAsync(Clerk, licence.Code.Value, default)).Select(r => r.Content.Public.Employees));
        Assert.Equal(13, Assert.Single(await _reports.PublicAsync(licence.Code.Value, default)).Report.Employees);
    }

    [Fact]
    public async Task An_agent_needs_the_report_scope()
    {
        var licence = Seed(7);
        var agent = Caller.Holder("holder:" + licence.Code.Value, "王办事员", licence.Code, new HolderGrant("00000000000000aa", HolderKind.Agent, [HolderScope.Download, HolderScope.Sign], null));

        var refused = await Assert.ThrowsAsync<ProblemException>(() => _reports.FileAsync(agent, licence.Code.Value, "2026", Report(), default));

        Assert.Equal("report", refused.Extensions["missingScope"]);
    }

    [Fact]
    public async Task On_1_July_a_licence_without_its_report_is_listed_and_one_filed_in_time_or_established_during_the_year_is_not()
    {
        var missing = Seed(7, establishedOn: new DateOnly(2025, 5, 1));
        var filed = Seed(8, establishedOn: new DateOnly(2024, 1, 1));
        var newcomer = Seed(9, establishedOn: new DateOnly(2026, 3, 1));
        var lastDayOfYear = Seed(10, establishedOn: new DateOnly(2025, 12, 31));
        await _reports.FileAsync(Owner(filed), filed.Code.Value, "2026", Report(), default);

        _register.Clock.SetUtcNow(DayAfterDeadline.AddSeconds(-2)); // 30 June, 23:59:59 China time: still in time
        Assert.Equal(0, await _timer.ListMissingReportsAsync(default));
        _register.Clock.SetUtcNow(DayAfterDeadline);
        var listed = await _timer.ListMissingReportsAsync(default);

        Assert.Equal(2, listed);
        var now = await _register.Licences.FindCurrentAsync(missing.Code, default);
        Assert.Equal((LicenceStatus.Suspended, "annual-report-not-filed", new DateOnly(2027, 7, 1)), (now!.Status, now.StatusDetail.ReasonCode, now.StatusDetail.EffectiveOn));
        Assert.Contains("The annual report for 2026 was not filed by 2027-06-30", now.StatusDetail.Reason, StringComparison.Ordinal);
        var listing = (await _register.Licences.GetHistoryAsync(missing.Code, default))[^1];
        Assert.Equal(("suspended", Actor.AnnualReportTimer.Id, ActorKind.System), (listing.Type, listing.ActorId, listing.ActorKind));
        Assert.Equal(LicenceStatus.Suspended, (await _register.Licences.FindCurrentAsync(lastDayOfYear.Code, default))!.Status);
        Assert.Equal(LicenceStatus.Active, (await _register.Licences.FindCurrentAsync(filed.Code, default))!.Status);
        Assert.Equal(LicenceStatus.Active, (await _register.Licences.FindCurrentAsync(newcomer.Code, default))!.Status);
        Assert.Contains(missing.Code.Value, _register.StatusQueue.Syncs); // the status lists follow the commit
    }

    [Fact]
    public async Task The_timer_run_twice_lists_each_licence_once()
    {
        var missing = Seed(7);
        _register.Clock.SetUtcNow(DayAfterDeadline);

        var first = await _timer.ListMissingReportsAsync(default);
        _register.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = await _timer.ListMissingReportsAsync(default);

        Assert.Equal((1, 0), (first, second));
        Assert.Single(await _register.Licences.GetHistoryAsync(missing.Code, default), e => e.Type == "suspended");
    }

    [Fact]
    public async Task A_rejected_report_counts_as_not_filed()
    {
        var licence = Seed(7);
        await _reports.FileAsync(Owner(licence), licence.Code.Value, "2026", Report(), default);
        var rejected = await _reports.RejectAsync(Clerk, licence.Code.Value, "2026", new ReasonRequest("从业人数与社保记录不符"), default);
        _register.Clock.SetUtcNow(DayAfterDeadline);

        Assert.Equal((AnnualReportState.Rejected, Clerk.Actor), (rejected.State, rejected.RejectedBy));
        Assert.Empty(await _reports.PublicAsync(licence.Code.Value, default));
        Assert.Null(_store.StandingOf(licence.Code));
        Assert.Equal(1, await _timer.ListMissingReportsAsync(default));
    }

    [Fact]
    public async Task A_listing_for_a_missing_report_is_lifted_only_after_the_late_filing()
    {
        var licence = Seed(7);
        _register.Clock.SetUtcNow(DayAfterDeadline);
        await _timer.ListMissingReportsAsync(default);

        var early = await Assert.ThrowsAsync<ProblemException>(() => _actions.ReinstateAsync(Clerk, licence.Code.Value, new ReasonRequest("已补报"), null, default));
        _register.Clock.Advance(TimeSpan.FromDays(10));
        var late = await _reports.FileAsync(Owner(licence), licence.Code.Value, "2026", Report(), default);
        var reinstated = await _actions.ReinstateAsync(Clerk, licence.Code.Value, new ReasonRequest("已补报 2026 年度报告"), null, default);

        Assert.Equal(ProblemType.InvalidTransition, early.Type);
        Assert.Equal(2026, early.Extensions["missingAnnualReport"]);
        Assert.True(late.Late);
        Assert.Equal(LicenceStatus.Active, reinstated.Status);
        Assert.Equal(new AnnualReportStanding(2026, 1, new DateOnly(2027, 7, 11), true), _store.StandingOf(licence.Code));
    }

    [Fact]
    public async Task A_clerks_own_listing_for_a_missing_report_stays_the_clerks_to_lift()
    {
        var licence = Seed(7);
        await _actions.SuspendAsync(Clerk, licence.Code.Value, new SuspensionRequest(AbnormalOperationsReason.AnnualReportNotFiled, "未按期公示年度报告"), null, default);

        var reinstated = await _actions.ReinstateAsync(Clerk, licence.Code.Value, new ReasonRequest("已补报"), null, default);

        Assert.Equal(LicenceStatus.Active, reinstated.Status);
    }

    private Licence Seed(int sequence, DateOnly? establishedOn = null)
    {
        var licence = Builders.Licence(sequence);
        var established = establishedOn ?? new DateOnly(2025, 5, 1);
        return _register.Licences.Seed(licence with
        {
            Details = licence.Details with { EstablishedOn = established, OperatingTerm = new OperatingTerm(established, null) },
            StatusDetail = StatusDetail.ActiveSince(InTime.AddYears(-1)),
        });
    }

    private static Caller Owner(Licence licence) => Caller.Holder("holder:" + licence.Code.Value, "艾力·买买提", licence.Code, HolderGrant.Owner("00000000000000ff"));

    private static AnnualReportRequest Report() => new(
        "新疆克孜勒苏柯尔克孜自治州阿图什市帕米尔路 8 号",
        OperatingStatus.Operating,
        "https://tianshan.example.cn",
        12,
        new Financials(5_000_000m, 1_200_000m, 3_200_000m, 410_000.50m, 96_000m),
        [FinancialFigure.Revenue],
        new PrivatePart("李会计", "0908-4213000", "caiwu@tianshan.example.cn"));
}
