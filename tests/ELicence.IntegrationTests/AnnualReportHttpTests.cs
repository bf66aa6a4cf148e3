using ELicence.Core.CreditCodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;

namespace ELicence.IntegrationTests;

/// <summary>Annual reports over HTTP against Azurite, on a fake clock in the filing window of 2027 (for the year 2026).</summary>
[Collection(AnnualReportCollection.Name)]
public class AnnualReportHttpTests(AnnualReportFixture service)
{
    [Fact]
    public async Task The_holder_files_the_report_the_registrar_reads_it_all_and_the_public_register_verification_and_page_show_only_the_public_part()
    {
        var (code, holder) = await service.IssueWithHolderAsync("阿图什市年报甲有限公司");

        var (filed, report, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/annual-reports/2026", holder, AnnualReportFixture.Report());
        var (_, all, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/annual-reports", service.RegistrarKey);
        var (publicStatus, published, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/register/annual-reports/{code}", null);
        var (_, verification, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { creditCode = code });
        var page = await service.Http.GetStringAsync($"/verify/{code}?lang=en");

        Assert.Equal(HttpStatusCode.Created, filed);
        Assert.Equal((2026, 1, "filed", false), (report.GetProperty("year").GetInt32(), report.GetProperty("version").GetInt32(), report.GetProperty("state").GetString(), report.GetProperty("late").GetBoolean()));
        Assert.Contains("..", report.GetProperty("signature").GetString(), StringComparison.Ordinal); // detached JWS
        Assert.Equal("李会计", all.GetProperty("reports")[0].GetProperty("content").GetProperty("private").GetProperty("contactPerson").GetString());
        Assert.Equal(HttpStatusCode.OK, publicStatus);
        var shown = published.GetProperty("reports")[0];
        Assert.Equal("2027-03-01", shown.GetProperty("filedOn").GetString());
        Assert.Equal("revenue", Assert.Single(shown.GetProperty("report").GetProperty("financials").EnumerateArray()).GetProperty("figure").GetString());
        Assert.DoesNotContain("李会计", published.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("totalAssets", published.GetRawText(), StringComparison.Ordinal);
        Assert.Equal((2026, "2027-03-01"), (verification.GetProperty("licence").GetProperty("annualReport").GetProperty("year").GetInt32(), verification.GetProperty("licence").GetProperty("annualReport").GetProperty("filedOn").GetString()));
        Assert.Contains("Annual report for 2026 filed on 2027-03-01.", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2027", null, "year")]
    [InlineData("2020", null, "year")]
    [InlineData("x", null, "year")]
    [InlineData("2026", "employees", "employees")]
    [InlineData("2026", "publishFinancials", "publishFinancials")]
    [InlineData("2026", "extra", "shareholders")]
    public async Task A_bad_report_is_400_naming_the_field_and_nothing_is_filed(string year, string? spoil, string field)
    {
        var (code, holder) = await service.IssueWithHolderAsync("阿图什市年报乙有限公司");
        var body = AnnualReportFixture.Report();
        switch (spoil)
        {
            case "employees": body["employees"] = -3; break;
            case "publishFinancials": body["publishFinancials"] = new[] { "profit" }; break;
            case "extra": body["shareholders"] = 3; break;
        }

        var (status, problem, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/annual-reports/{year}", holder, body);
        var (_, all, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/annual-reports", service.RegistrarKey);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith(field, problem.GetProperty("errors")[0].GetProperty("field").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, all.GetProperty("reports").GetArrayLength());
    }

    [Fact]
    public async Task A_repeated_filing_is_409_a_correction_is_version_2_and_the_registrar_may_reject_it_with_a_reason()
    {
        var (code, holder) = await service.IssueWithHolderAsync("阿图什市年报丙有限公司");
        await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/annual-reports/2026", holder, AnnualReportFixture.Report());

        var (again, problem, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/annual-reports/2026", holder, AnnualReportFixture.Report());
        var corrected = AnnualReportFixture.Report();
        corrected["employees"] = 15;
        var (correction, version2, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/annual-reports/2026", holder, corrected);
        var byHolder = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/annual-reports/2026/rejection", holder, new { reason = "x" });
        var (rejected, rejection, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/annual-reports/2026/rejection", service.RegistrarKey, new { reason = "从业人数与社保记录不符" });
        var (_, published, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/register/annual-reports/{code}", null);
        var (_, all, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/annual-reports", holder);

        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Contains("already on file as version 1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Created, 2), (correction, version2.GetProperty("version").GetInt32()));
        Assert.Equal(HttpStatusCode.Forbidden, byHolder.Status);
        Assert.Equal((HttpStatusCode.OK, "rejected"), (rejected, rejection.GetProperty("state").GetString()));
        Assert.Equal(0, published.GetProperty("reports").GetArrayLength()); // nothing on file any more
        Assert.Equal(["filed", "rejected"], all.GetProperty("reports").EnumerateArray().Select(r => r.GetProperty("state").GetString()));
    }
}

/// <summary>The 1 July listing over HTTP, on a host of its own (it moves the clock past the deadline for good).</summary>
[Collection(AnnualReportListingCollection.Name)]
public class AnnualReportListingTests(AnnualReportListingFixture service)
{
    [Fact]
    public async Task On_1_July_the_licence_without_its_report_is_listed_verification_says_why_and_a_clerk_reinstates_it_after_the_late_filing()
    {
        var (missing, holder) = await service.IssueWithHolderAsync("阿图什市年报丁有限公司");
        var (filed, filedHolder) = await service.IssueWithHolderAsync("阿图什市年报戊有限公司");
        await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{filed}/annual-reports/2026", filedHolder, AnnualReportFixture.Report());

        await service.AdvanceToAsync(AnnualReportFixture.FirstOfJuly, async () =>
            (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{missing}", service.RegistrarKey)).Body.GetProperty("status").GetString() == "suspended");
        var (_, verification, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { creditCode = missing });
        var early = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{missing}/reinstatement", service.RegistrarKey, new { reason = "已补报" });
        var (lateStatus, late, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{missing}/annual-reports/2026", holder, AnnualReportFixture.Report());
        var (reinstated, _, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{missing}/reinstatement", service.RegistrarKey, new { reason = "已补报 2026 年度报告" });
        var (_, other, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{filed}", service.RegistrarKey);

        var reason = verification.GetProperty("reasons")[0];
        Assert.Equal("suspended", reason.GetProperty("code").GetString());
        Assert.Contains("annual-report-not-filed: the annual report was not filed by its deadline", reason.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("The annual report for 2026 was not filed by 2027-06-30", reason.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, early.Status);
        Assert.Equal(2026, early.Body.GetProperty("missingAnnualReport").GetInt32());
        Assert.Equal((HttpStatusCode.Created, true), (lateStatus, late.GetProperty("late").GetBoolean()));
        Assert.Equal(HttpStatusCode.OK, reinstated);
        Assert.Equal("active", other.GetProperty("status").GetString());
        // The normal commit path: the outbox hands the listing and the reinstatement on to every subscriber.
        await Eventually.PollAsync(() => Task.FromResult(service.Events.Of(missing)), seen => seen.Contains((2, "suspended")) && seen.Contains((3, "reinstated")), "the listing and reinstatement relayed");
    }
}

/// <summary>The service on a fake clock at 1 March 2027, 10:00 China time: the report for 2026 may be filed.</summary>
public class AnnualReportFixture : ServiceFixture
{
    public static readonly DateTimeOffset Start = new(2027, 3, 1, 2, 0, 0, TimeSpan.Zero);

    /// <summary>1 July 2027, 00:00 China time, when the listing timer runs.</summary>
    public static readonly DateTimeOffset FirstOfJuly = new(2027, 6, 30, 16, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Clock { get; } = new(Start);

    public LifecycleFixture.RecordingEventSubscriber Events { get; } = new();

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.Services.AddSingleton<ILicenceEventSubscriber>(Events);
    }

    /// <summary>A licence established in 2025 (so its report for 2026 is due) and its owner's key.</summary>
    public async Task<(string Code, string Holder)> IssueWithHolderAsync(string name)
    {
        var application = Applications.Valid(name);
        application["establishedOn"] = "2025-05-01";
        application["operatingTerm"] = new { from = "2025-05-01", to = (string?)null };
        var code = await IssueAsync(application);
        return (code, await CreateHolderKeyAsync(code));
    }

    /// <summary>Moves the clock to <paramref name="at"/> (the timer pump fires what is due), then waits for the condition.</summary>
    public async Task AdvanceToAsync(DateTimeOffset at, Func<Task<bool>> condition)
    {
        Clock.SetUtcNow(at);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold after moving the clock.");
            await Task.Delay(25);
        }
    }

    public static Dictionary<string, object?> Report() => new()
    {
        ["contactAddress"] = "新疆克孜勒苏柯尔克孜自治州阿图什市帕米尔路 8 号",
        ["operatingStatus"] = "operating",
        ["website"] = "https://tianshan.example.cn",
        ["employees"] = 12,
        ["financials"] = new { totalAssets = 5_000_000, totalLiabilities = 1_200_000, revenue = 3_200_000, netProfit = 410_000.5, taxPaid = 96_000 },
        ["publishFinancials"] = new[] { "revenue" },
        ["private"] = new { contactPerson = "李会计", telephone = "0908-4213000", email = "caiwu@tianshan.example.cn" },
    };
}

[CollectionDefinition(Name)]
public sealed class AnnualReportCollection : ICollectionFixture<AnnualReportFixture>
{
    public const string Name = "annual-reports";
}

public sealed class AnnualReportListingFixture : AnnualReportFixture;

[CollectionDefinition(Name)]
public sealed class AnnualReportListingCollection : ICollectionFixture<AnnualReportListingFixture>
{
    public const string Name = "annual-report-listing";
}
