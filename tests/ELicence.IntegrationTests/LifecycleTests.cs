using System.Globalization;

namespace ELicence.IntegrationTests;

/// <summary>Every transition of the licence life cycle through HTTP, and what a verifier is told after it.</summary>
[Collection(LifecycleCollection.Name)]
public class LifecycleTests(LifecycleFixture service)
{
    [Fact]
    public async Task An_amendment_makes_a_new_version_and_the_old_credential_verifies_as_genuine_but_superseded()
    {
        var code = await service.IssueAsync();
        var oldCredential = await service.CredentialAsync(code);

        var amended = await service.ActAsync(code, "amendments", new { name = "阿图什市天山果业集团有限公司", domicile = "阿图什市光明路 1 号", reason = "股东会决议更名并迁址" });

        Assert.Equal(2, amended.GetProperty("version").GetInt32());
        Assert.Equal(code, amended.GetProperty("creditCode").GetString());
        Assert.Equal("阿图什市天山果业集团有限公司", amended.GetProperty("name").GetString());
        var newCredential = await service.CredentialAsync(code);
        Assert.NotEqual(oldCredential, newCredential);

        var old = await service.VerifyAsync(new { credential = oldCredential });
        Assert.False(old.GetProperty("valid").GetBoolean());
        var superseded = Reason(old, "superseded");
        Assert.Contains("version 2", superseded, StringComparison.Ordinal);
        Assert.Equal("阿图什市天山果业集团有限公司", old.GetProperty("licence").GetProperty("name").GetString());
        Assert.True((await service.VerifyAsync(new { credential = newCredential })).GetProperty("valid").GetBoolean());

        var history = await History(code);
        Assert.Equal(["issued", "amended"], history.Select(e => e.GetProperty("type").GetString()));
        var change = history[1].GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("field").GetString() == "name");
        Assert.Equal("阿图什市天山果业有限公司", change.GetProperty("from").GetString());
        Assert.Equal("阿图什市天山果业集团有限公司", change.GetProperty("to").GetString());
        Assert.Equal("股东会决议更名并迁址", history[1].GetProperty("reason").GetString());
        Assert.Equal("key:" + service.RegistrarKey[4..20], history[1].GetProperty("actorId").GetString()); // the key that acted, not the bureau
        Assert.Equal("api-key", history[1].GetProperty("actorKind").GetString());
    }

    [Fact]
    public async Task A_suspended_licence_is_genuine_but_not_in_good_standing_until_reinstated()
    {
        var code = await service.IssueAsync();

        await service.ActAsync(code, "suspension", new { reasonCode = "annual-report-not-filed", reason = "未按期公示 2025 年度报告" });
        var suspended = await service.VerifyAsync(new { credential = await service.CredentialAsync(code) });
        await service.ActAsync(code, "reinstatement", new { reason = "已补报年度报告" });
        var reinstated = await service.VerifyAsync(new { creditCode = code });

        Assert.False(suspended.GetProperty("valid").GetBoolean());
        Assert.Contains("annual-report-not-filed", Reason(suspended, "suspended"), StringComparison.Ordinal);
        Assert.Equal("suspended", suspended.GetProperty("licence").GetProperty("status").GetString());
        Assert.Equal("未按期公示 2025 年度报告", suspended.GetProperty("licence").GetProperty("statusDetail").GetProperty("reason").GetString());
        Assert.True(reinstated.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task A_revoked_licence_verifies_as_revoked_with_reason_and_date_and_accepts_no_further_change()
    {
        var code = await service.IssueAsync();

        await service.ActAsync(code, "revocation", new { reason = "提交虚假材料取得登记", effectiveOn = service.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
        var result = await service.VerifyAsync(new { creditCode = code });
        var refused = await service.ActAsync(code, "amendments", new { name = "新名称", reason = "x" }, HttpStatusCode.Conflict);

        Assert.False(result.GetProperty("valid").GetBoolean());
        var reason = Reason(result, "revoked");
        Assert.Contains("提交虚假材料取得登记", reason, StringComparison.Ordinal);
        Assert.Contains(service.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), reason, StringComparison.Ordinal);
        Assert.Equal("urn:elicence:problem:invalid-transition", refused.GetProperty("type").GetString());
        Assert.Equal("revoked", refused.GetProperty("currentStatus").GetString());
        Assert.Equal(0, refused.GetProperty("allowedActions").GetArrayLength());
    }

    [Fact]
    public async Task Invalid_transitions_are_409_naming_the_status_and_the_allowed_actions_and_change_nothing()
    {
        var code = await service.IssueAsync();
        var before = await History(code);

        var problem = await service.ActAsync(code, "reinstatement", new { reason = "x" }, HttpStatusCode.Conflict);

        Assert.Equal("active", problem.GetProperty("currentStatus").GetString());
        Assert.Contains("suspend", problem.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(before.Count, (await History(code)).Count);
        Assert.Equal("active", await service.StoredStatusAsync(code));
    }

    [Fact]
    public async Task Simplified_deregistration_runs_a_20_day_public_notice_then_a_timer_deregisters()
    {
        var code = await service.IssueAsync();
        var opened = await service.ActAsync(code, "deregistration", new { reason = "股东决定解散" });
        var notice = opened.GetProperty("statusDetail").GetProperty("notice");
        var startsAt = notice.GetProperty("startsAt").GetDateTimeOffset();
        var endsAt = notice.GetProperty("endsAt").GetDateTimeOffset();

        Assert.Equal(TimeSpan.FromDays(20), endsAt - startsAt);
        var publicList = await service.Http.GetFromJsonAsync<JsonElement>("/api/v1/deregistration-notices");
        var listed = publicList.GetProperty("notices").EnumerateArray().Single(n => n.GetProperty("creditCode").GetString() == code);
        Assert.Equal(endsAt, listed.GetProperty("noticeEndsAt").GetDateTimeOffset());
        var during = await service.VerifyAsync(new { creditCode = code });
        Assert.True(during.GetProperty("valid").GetBoolean());
        Assert.Contains(during.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "deregistration-notice");

        await service.AdvanceUntilAsync(TimeSpan.FromDays(20).Add(TimeSpan.FromMinutes(1)), async () => await service.StoredStatusAsync(code) == "deregistered");

        var after = await service.VerifyAsync(new { creditCode = code });
        Assert.False(after.GetProperty("valid").GetBoolean());
        Assert.Contains(service.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Reason(after, "deregistered"), StringComparison.Ordinal);
        var dueBy = DateOnly.Parse(notice.GetProperty("decisionDueBy").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(service.Today <= dueBy, "decided within one working day of the notice's end");
        var late = await service.SendAsync(HttpMethod.Post, $"/api/v1/deregistration-notices/{code}/objections", null, new { name = "张三", contact = "13900000000", grounds = "欠款未结清" });
        Assert.Equal(HttpStatusCode.Conflict, late.Status);
        Assert.Equal(["issued", "deregistration-notice-opened", "deregistered"], (await History(code)).Select(e => e.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task An_objection_puts_the_notice_under_review_and_a_sustained_one_ends_simplified_deregistration()
    {
        var code = await service.IssueAsync();
        await service.ActAsync(code, "deregistration", new { reason = "股东决定解散" });

        var (status, lodged, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/deregistration-notices/{code}/objections", null,
            new { name = "阿图什市某供应商", contact = "0908-0000000", grounds = "尚有货款 12 万元未结清" });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("under-review", lodged.GetProperty("status").GetString());
        Assert.Equal("in-deregistration-notice", await service.StoredStatusAsync(code)); // one objection does not end the notice
        var notices = await service.Http.GetFromJsonAsync<JsonElement>("/api/v1/deregistration-notices");
        var listed = notices.GetProperty("notices").EnumerateArray().Single(n => n.GetProperty("creditCode").GetString() == code);
        Assert.Equal("objection-under-review", listed.GetProperty("state").GetString());
        Assert.DoesNotContain("某供应商", notices.ToString(), StringComparison.Ordinal);
        var during = await service.VerifyAsync(new { creditCode = code });
        Assert.True(during.GetProperty("valid").GetBoolean());
        Assert.Contains("objection", Reason(during, "deregistration-notice"), StringComparison.Ordinal);

        var lodgedEvent = (await History(code)).Last();
        Assert.Equal("deregistration-objection-lodged", lodgedEvent.GetProperty("type").GetString());
        Assert.DoesNotContain("0908-0000000", lodgedEvent.ToString(), StringComparison.Ordinal); // the objector stays with the registrar
        Assert.DoesNotContain("某供应商", lodgedEvent.ToString(), StringComparison.Ordinal);
        var (listStatus, objections, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/objections", service.RegistrarKey);
        Assert.Equal(HttpStatusCode.OK, listStatus);
        var objection = Assert.Single(objections.GetProperty("objections").EnumerateArray());
        Assert.Equal("0908-0000000", objection.GetProperty("contact").GetString());
        Assert.Equal("under-review", objection.GetProperty("status").GetString());
        var holder = await service.CreateHolderKeyAsync(code);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/objections", holder)).Status);

        var id = lodged.GetProperty("objectionId").GetString()!;
        var sustained = await service.ActAsync(code, $"objections/{id}/decision", new { outcome = "sustained", reason = "债权人异议成立，终止简易注销" });

        Assert.Equal("active", sustained.GetProperty("status").GetString());
        Assert.Equal("deregistration-objection-sustained", sustained.GetProperty("statusDetail").GetProperty("reasonCode").GetString());
        Assert.Equal(["issued", "deregistration-notice-opened", "deregistration-objection-lodged", "deregistration-objection-sustained"], (await History(code)).Select(e => e.GetProperty("type").GetString()));
        await service.ActAsync(code, $"objections/{id}/decision", new { outcome = "dismissed", reason = "x" }, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_dismissed_objection_lets_the_notice_run_out_and_the_timer_deregisters_within_a_working_day_of_the_dismissal()
    {
        var code = await service.IssueAsync();
        await service.ActAsync(code, "deregistration", new { reason = "股东决定解散" });
        var (_, lodged, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/deregistration-notices/{code}/objections", null,
            new { name = "Li Wei", contact = "li.wei@example.com", grounds = "I believe a debt is unpaid." });

        // The notice's 20 days pass, but an objection under review holds the finalisation.
        service.Clock.Advance(TimeSpan.FromDays(21));
        await Task.Delay(300);
        Assert.Equal("in-deregistration-notice", await service.StoredStatusAsync(code));

        var id = lodged.GetProperty("objectionId").GetString()!;
        var dismissed = await service.ActAsync(code, $"objections/{id}/decision", new { outcome = "dismissed", reason = "债务已清偿，异议不成立" });
        var dueBy = DateOnly.Parse(dismissed.GetProperty("statusDetail").GetProperty("notice").GetProperty("decisionDueBy").GetString()!, CultureInfo.InvariantCulture);
        Assert.True(dueBy > service.Today, "the one-working-day decision runs from the dismissal");

        await service.AdvanceUntilAsync(TimeSpan.FromMinutes(6), async () => await service.StoredStatusAsync(code) == "deregistered");
        Assert.True(service.Today <= dueBy);
        Assert.Equal("deregistered", (await History(code)).Last().GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("name", "某\u001b[31m供应商", "U+001B")]
    [InlineData("name", "Аcme Trading", "Cyrillic")]
    [InlineData("grounds", "欠款\u202e未结清", "U+202E")]
    [InlineData("contact", "call me maybe", "telephone")]
    public async Task A_bad_objection_is_refused_naming_the_field_and_changes_nothing(string field, string value, string expected)
    {
        var code = await service.IssueAsync();
        await service.ActAsync(code, "deregistration", new { reason = "股东决定解散" });
        var body = new Dictionary<string, string> { ["name"] = "某供应商", ["contact"] = "13900000000", ["grounds"] = "欠款未结清" };
        body[field] = System.Text.RegularExpressions.Regex.Unescape(value);

        var (status, problem, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/deregistration-notices/{code}/objections", null, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Contains(expected, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("deregistration-notice-opened", (await History(code)).Last().GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_flood_of_objections_from_strangers_does_not_lock_out_a_genuine_creditor()
    {
        var code = await service.IssueAsync();
        await service.ActAsync(code, "deregistration", new { reason = "股东决定解散" });
        for (var i = 0; i < LifecycleFixture.MaxObjections + 1; i++)
        {
            var (created, flood, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/deregistration-notices/{code}/objections", null,
                new { name = $"路人{i}", contact = $"junk{i}@example.com", grounds = "xxx" });
            Assert.Equal(HttpStatusCode.Created, created);
            Assert.Equal(i < LifecycleFixture.MaxObjections ? "under-review" : "queued", flood.GetProperty("status").GetString());
        }

        var (status, genuine, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/deregistration-notices/{code}/objections", null,
            new { name = "真正的债权人", contact = "13900000000", grounds = "欠款未结清" });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("queued", genuine.GetProperty("status").GetString());
        var (_, list, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/objections", service.RegistrarKey);
        var received = list.GetProperty("objections").EnumerateArray().Single(o => o.GetProperty("id").GetString() == genuine.GetProperty("objectionId").GetString());
        Assert.Equal("欠款未结清", received.GetProperty("grounds").GetString());
        var (_, notices, _) = await service.SendAsync(HttpMethod.Get, "/api/v1/deregistration-notices", null);
        Assert.Equal("objection-under-review", notices.GetProperty("notices").EnumerateArray().Single(n => n.GetProperty("creditCode").GetString() == code).GetProperty("state").GetString());
    }

    [Fact]
    public async Task An_ended_operating_term_is_reported_expired_before_the_timer_marks_it_and_after()
    {
        // The term ends today at 24:00 China time (16:00 UTC); the daily timer runs at 16:05 UTC. Moving the clock from now
        // to 16:02 must not pass a 16:05, or the timer would mark the licence before the check below.
        if (service.Clock.GetUtcNow().TimeOfDay is { } t && t >= new TimeSpan(16, 0, 0) && t < new TimeSpan(16, 10, 0))
        {
            service.Clock.Advance(TimeSpan.FromMinutes(10));
        }

        var termEnd = service.Today;
        var code = await service.IssueAsync(Applications.With("operatingTerm", new { from = "2026-11-02", to = termEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }));
        Assert.True((await service.VerifyAsync(new { creditCode = code })).GetProperty("valid").GetBoolean());

        var endUtc = new DateTimeOffset(termEnd.ToDateTime(new TimeOnly(0, 0)), TimeSpan.FromHours(8)).AddDays(1);
        service.Clock.Advance(endUtc.AddMinutes(2) - service.Clock.GetUtcNow());
        var beforeTimer = await service.VerifyAsync(new { creditCode = code });

        Assert.Equal("active", await service.StoredStatusAsync(code));
        Assert.False(beforeTimer.GetProperty("valid").GetBoolean());
        Assert.Contains(termEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Reason(beforeTimer, "expired"), StringComparison.Ordinal);

        await service.AdvanceUntilAsync(TimeSpan.FromMinutes(4), async () => await service.StoredStatusAsync(code) == "expired");
        var afterTimer = await service.VerifyAsync(new { creditCode = code });
        Assert.Equal("expired", afterTimer.GetProperty("reasons")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Operating_permits_are_attached_and_verification_reports_them_flagging_expired_ones()
    {
        var code = await service.IssueAsync();
        await service.ActAsync(code, "permits", new
        {
            permitType = "食品经营许可证", number = "JY16530010000001", issuingDepartment = "阿图什市市场监督管理局",
            reformMode = "notification-commitment", validFrom = "2026-11-02", validTo = "2031-11-01",
        }, HttpStatusCode.Created);
        await service.ActAsync(code, "permits", new
        {
            permitType = "道路运输经营许可证", number = "新交运管许可克字 653001000001 号", issuingDepartment = "阿图什市交通运输局",
            reformMode = "optimised-approval", validFrom = "2020-01-01", validTo = "2025-12-31",
        }, HttpStatusCode.Created);

        var result = await service.VerifyAsync(new { creditCode = code });

        Assert.True(result.GetProperty("valid").GetBoolean());
        var permits = result.GetProperty("permits").EnumerateArray().ToList();
        Assert.Equal(2, permits.Count);
        Assert.False(permits[0].GetProperty("expired").GetBoolean());
        Assert.True(permits[0].GetProperty("inForce").GetBoolean());
        Assert.Equal("notification-commitment", permits[0].GetProperty("reformMode").GetString());
        Assert.True(permits[1].GetProperty("expired").GetBoolean());
        Assert.False(permits[1].GetProperty("inForce").GetBoolean());
    }

    [Fact]
    public async Task Two_registrars_amending_at_once_one_wins_and_the_other_gets_a_conflict_with_nothing_half_written()
    {
        var code = await service.IssueAsync();
        var etag = (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}", service.RegistrarKey)).Response.Headers.ETag!.ToString();

        async Task<HttpStatusCode> AmendAsync(string name, string? ifMatch)
        {
            using var request = service.Request(HttpMethod.Post, $"/api/v1/licences/{code}/amendments", service.RegistrarKey, new { name, reason = "并发测试" });
            if (ifMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            }

            return (await service.Http.SendAsync(request)).StatusCode;
        }

        var withEtag = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => AmendAsync($"阿图什市并发甲{i}有限公司", etag)));
        var withoutEtag = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => AmendAsync($"阿图什市并发乙{i}有限公司", null)));

        Assert.Equal(1, withEtag.Count(s => s == HttpStatusCode.OK));
        Assert.All(withEtag.Where(s => s != HttpStatusCode.OK), s => Assert.Contains(s, new[] { HttpStatusCode.PreconditionFailed, HttpStatusCode.Conflict }));
        Assert.All(withoutEtag, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        var history = await History(code);
        var amendments = history.Count(e => e.GetProperty("type").GetString() == "amended");
        var licence = (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}", service.RegistrarKey)).Body;
        Assert.Equal(1 + amendments, licence.GetProperty("version").GetInt32());
        Assert.Equal(1 + withEtag.Count(s => s == HttpStatusCode.OK) + withoutEtag.Count(s => s == HttpStatusCode.OK), licence.GetProperty("version").GetInt32());
        Assert.Equal(Enumerable.Range(1, history.Count), history.Select(e => e.GetProperty("sequence").GetInt32()));
    }

    [Fact]
    public async Task A_holder_reads_its_own_history_but_not_another_licences()
    {
        var mine = await service.IssueAsync();
        var other = await service.IssueAsync();
        var key = await service.CreateHolderKeyAsync(mine);

        Assert.Equal(HttpStatusCode.OK, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{mine}/history", key)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{other}/history", key)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{mine}/suspension", key, new { reasonCode = "false-information", reason = "x" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{mine}/amendments", service.VerifierKey, new { name = "x", reason = "x" })).Status);
    }

    [Theory]
    [InlineData("amendments", "{\"reason\":\"nothing\"}", "body")]
    [InlineData("amendments", "{\"name\":\"x\"}", "reason")]
    [InlineData("amendments", "{\"entityType\":\"individual-business\",\"reason\":\"x\"}", "entityType")]
    [InlineData("suspension", "{\"reason\":\"x\"}", "reasonCode")]
    [InlineData("suspension", "{\"reasonCode\":\"tax\",\"reason\":\"x\"}", "reasonCode")]
    [InlineData("revocation-proposals", "{\"reason\":\"x\",\"effectiveOn\":\"2099-01-01\"}", "effectiveOn")]
    [InlineData("revocation-proposals", "{\"effectiveOn\":\"2026-01-01\"}", "reason")]
    [InlineData("permits", "{\"permitType\":\"x\",\"number\":\"1\",\"issuingDepartment\":\"y\",\"validFrom\":\"2026-01-01\"}", "reformMode")]
    public async Task Bad_lifecycle_requests_name_the_field_and_change_nothing(string action, string body, string field)
    {
        var code = await service.IssueAsync();
        using var request = service.Request(HttpMethod.Post, $"/api/v1/licences/{code}/{action}", service.RegistrarKey);
        request.Content = Json.Raw(body);

        var response = await service.Http.SendAsync(request);
        var problem = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, problem.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Single(await History(code));
    }

    private async Task<List<JsonElement>> History(string code)
    {
        var (status, body, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/history", service.RegistrarKey);
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("events").EnumerateArray().ToList();
    }

    private static string Reason(JsonElement verification, string code) =>
        verification.GetProperty("reasons").EnumerateArray().Single(r => r.GetProperty("code").GetString() == code).GetProperty("message").GetString()!;
}
