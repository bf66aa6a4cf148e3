namespace ELicence.Core.UnitTests;

/// <summary>
/// Every action in every status, through the services over in-memory storage: what the life cycle allows succeeds and
/// leaves one history event; what it forbids is a 409 naming the status and the allowed actions, and stores nothing.
/// </summary>
public class LifecycleServiceTests
{
    /// <summary>The specification, written out independently of <see cref="LicenceLifecycle.AllowedActions"/>.</summary>
    private static readonly Dictionary<LicenceStatus, LicenceAction[]> Allowed = new()
    {
        [LicenceStatus.Active] = [LicenceAction.Amend, LicenceAction.Suspend, LicenceAction.Revoke, LicenceAction.OpenDeregistration, LicenceAction.AttachPermit],
        [LicenceStatus.Suspended] = [LicenceAction.Amend, LicenceAction.Reinstate, LicenceAction.Revoke, LicenceAction.AttachPermit],
        [LicenceStatus.InDeregistrationNotice] = [LicenceAction.LodgeObjection, LicenceAction.DecideObjection, LicenceAction.Revoke],
        [LicenceStatus.Expired] = [LicenceAction.Amend, LicenceAction.Revoke],
        [LicenceStatus.Revoked] = [],
        [LicenceStatus.Deregistered] = [],
    };

    /// <summary>Where each allowed action leads.</summary>
    private static readonly Dictionary<(LicenceStatus, LicenceAction), LicenceStatus> Leads = new()
    {
        [(LicenceStatus.Active, LicenceAction.Amend)] = LicenceStatus.Active,
        [(LicenceStatus.Active, LicenceAction.Suspend)] = LicenceStatus.Suspended,
        [(LicenceStatus.Active, LicenceAction.Revoke)] = LicenceStatus.Revoked,
        [(LicenceStatus.Active, LicenceAction.OpenDeregistration)] = LicenceStatus.InDeregistrationNotice,
        [(LicenceStatus.Active, LicenceAction.AttachPermit)] = LicenceStatus.Active,
        [(LicenceStatus.Suspended, LicenceAction.Amend)] = LicenceStatus.Suspended,
        [(LicenceStatus.Suspended, LicenceAction.Reinstate)] = LicenceStatus.Active,
        [(LicenceStatus.Suspended, LicenceAction.Revoke)] = LicenceStatus.Revoked,
        [(LicenceStatus.Suspended, LicenceAction.AttachPermit)] = LicenceStatus.Suspended,
        [(LicenceStatus.InDeregistrationNotice, LicenceAction.LodgeObjection)] = LicenceStatus.InDeregistrationNotice,
        [(LicenceStatus.InDeregistrationNotice, LicenceAction.DecideObjection)] = LicenceStatus.Active, // sustained
        [(LicenceStatus.InDeregistrationNotice, LicenceAction.Revoke)] = LicenceStatus.Revoked,
        [(LicenceStatus.Expired, LicenceAction.Amend)] = LicenceStatus.Active, // a new term
        [(LicenceStatus.Expired, LicenceAction.Revoke)] = LicenceStatus.Revoked,
    };

    public static TheoryData<LicenceStatus, LicenceAction> Every()
    {
        var data = new TheoryData<LicenceStatus, LicenceAction>();
        foreach (var status in Enum.GetValues<LicenceStatus>())
        {
            foreach (var action in Enum.GetValues<LicenceAction>())
            {
                data.Add(status, action);
            }
        }

        return data;
    }

    [Fact]
    public void The_rules_in_code_are_the_specification()
    {
        foreach (var status in Enum.GetValues<LicenceStatus>())
        {
            Assert.Equal(Allowed[status].Order(), LicenceLifecycle.AllowedActions(status).Order());
        }
    }

    [Theory]
    [MemberData(nameof(Every))]
    public async Task Each_action_in_each_status_is_done_once_or_refused_without_change(LicenceStatus status, LicenceAction action)
    {
        var register = new InMemoryRegister();
        var licence = register.Seed(status);
        var objection = action == LicenceAction.DecideObjection && status == LicenceStatus.InDeregistrationNotice
            ? (await register.SimplifiedDeregistration.LodgeObjectionAsync(licence.Code.Value, new("某供应商", "13900000000", "欠款未结清"), default)).Id
            : "obj_0193a1b2c3d4e5f60718293a4b5c6d7e";
        var before = await register.Licences.FindCurrentAsync(licence.Code, default);
        var historyBefore = (await register.Licences.GetHistoryAsync(licence.Code, default)).Count;

        var act = () => Do(register, licence, action, objection);

        if (Allowed[status].Contains(action))
        {
            await act();
            var after = await register.Licences.FindCurrentAsync(licence.Code, default);
            Assert.Equal(Leads[(status, action)], after!.Status);
            Assert.Equal(historyBefore + 1, (await register.Licences.GetHistoryAsync(licence.Code, default)).Count);
            Assert.Equal(before!.EventCount + 1, after.EventCount);
        }
        else
        {
            var problem = await Assert.ThrowsAsync<ProblemException>(act);
            Assert.Equal(ProblemType.InvalidTransition, problem.Type);
            Assert.Equal(LicenceLifecycle.Kebab(status), problem.Extensions["currentStatus"]);
            Assert.Equal(Allowed[status].Select(LicenceLifecycle.Kebab).Order(), ((IEnumerable<string>)problem.Extensions["allowedActions"]!).Order());
            Assert.Equal(before, await register.Licences.FindCurrentAsync(licence.Code, default));
            Assert.Equal(historyBefore, (await register.Licences.GetHistoryAsync(licence.Code, default)).Count);
        }
    }

    [Fact]
    public async Task A_change_answers_with_the_version_it_committed_and_its_etag_even_when_another_follows_at_once()
    {
        var register = new InMemoryRegister();
        var licence = register.Seed(LicenceStatus.Active);
        var code = licence.Code.Value;

        var first = await register.Actions.AmendAsync(InMemoryRegister.Registrar, code, Amendment("domicile", "阿图什市光明路 1 号"), null, default);
        var second = await register.Actions.AmendAsync(InMemoryRegister.Registrar, code, Amendment("domicile", "阿图什市光明路 2 号"), null, default);

        Assert.Equal((2, "阿图什市光明路 1 号"), (first.Version, first.Details.Domicile));
        Assert.Equal((3, "阿图什市光明路 2 号"), (second.Version, second.Details.Domicile));
        Assert.NotEqual(first.ETag, second.ETag);
        var stale = await Assert.ThrowsAsync<ProblemException>(() => register.Actions.SuspendAsync(InMemoryRegister.Registrar, code, new(AbnormalOperationsReason.AnnualReportNotFiled, "未报"), first.ETag, default));
        Assert.Equal(ProblemType.PreconditionFailed, stale.Type);
        var current = await register.Actions.SuspendAsync(InMemoryRegister.Registrar, code, new(AbnormalOperationsReason.AnnualReportNotFiled, "未报"), second.ETag, default);
        Assert.Equal(LicenceStatus.Suspended, current.Status);
    }

    [Fact]
    public async Task A_change_that_loses_a_race_is_a_conflict_and_stores_nothing()
    {
        var register = new InMemoryRegister();
        var licence = register.Seed(LicenceStatus.Active);
        register.Licences.BeforeNextSave = () => register.Licences.Seed(licence with { Details = licence.Details with { Domicile = "别人改了" } });

        var problem = await Assert.ThrowsAsync<ProblemException>(() => register.Actions.RevokeAsync(InMemoryRegister.Registrar, licence.Code.Value, new("提交虚假材料", null), null, default));

        Assert.Equal(ProblemType.Conflict, problem.Type);
        Assert.Equal("别人改了", (await register.Licences.FindCurrentAsync(licence.Code, default))!.Details.Domicile);
        Assert.Empty(register.StatusQueue.Syncs);
    }

    [Fact]
    public async Task An_amendment_records_each_changed_field_with_its_old_and_new_value_and_signs_a_new_credential()
    {
        var register = new InMemoryRegister();
        var licence = register.Seed(LicenceStatus.Active);

        var amended = await register.Actions.AmendAsync(InMemoryRegister.Registrar, licence.Code.Value,
            Amendment("registeredCapital", new { amount = 2_000_000 }, "english", new { domicile = "No. 1 Guangming Road, Atushi" }), null, default);

        Assert.Equal(2_000_000m, amended.Details.RegisteredCapital.Amount);
        Assert.Equal("CNY", amended.Details.RegisteredCapital.Currency); // a merge patch keeps what it does not name
        Assert.Equal("Atushi Tianshan Fruit Co., Ltd.", amended.Details.English!.Name);
        var evt = (await register.Licences.GetHistoryAsync(licence.Code, default))[^1];
        Assert.Equal(["english", "registeredCapital"], evt.Changes.Select(c => c.Field).Order());
        Assert.Contains("1000000", evt.Changes.Single(c => c.Field == "registeredCapital").From, StringComparison.Ordinal);
        Assert.NotNull(await register.Credentials.FindAsync(licence.Code, 2, default));
    }

    [Theory]
    [InlineData("domicle", "\"x\"", "domicle")]
    [InlineData("registeredCapital", "{\"amount\":\"1000\"}", "registeredCapital.amount")]
    [InlineData("entityType", "\"individual-business\"", "entityType")]
    [InlineData("operatingTerm", "{\"to\":\"2020-01-01\"}", "operatingTerm.to")]
    [InlineData("name", "\"天山\\u202e果业\"", "name")]
    [InlineData("legalRepresentative", "\"\\ud800\"", "legalRepresentative")] // a lone surrogate, found by the property tests
    [InlineData("english", "{\"name\":\"\\udc00\"}", "english")]
    public async Task A_bad_amendment_names_the_field_and_changes_nothing(string member, string json, string field)
    {
        var register = new InMemoryRegister();
        var licence = register.Seed(LicenceStatus.Active);
        var request = new AmendmentRequest("变更") { Changes = new Dictionary<string, System.Text.Json.JsonElement> { [member] = System.Text.Json.JsonDocument.Parse(json).RootElement } };

        var problem = await Assert.ThrowsAsync<ProblemException>(() => register.Actions.AmendAsync(InMemoryRegister.Registrar, licence.Code.Value, request, null, default));

        Assert.Equal(ProblemType.Validation, problem.Type);
        Assert.Equal(field, problem.Errors[0].Field);
        Assert.Equal(0, register.Licences.SaveAttempts);
    }

    [Fact]
    public async Task The_expiry_timer_marks_only_licences_whose_term_has_ended()
    {
        var register = new InMemoryRegister();
        var ended = register.Seed(LicenceStatus.Active, sequence: 1);
        register.Licences.Seed(ended with { Details = ended.Details with { OperatingTerm = new OperatingTerm(ended.Details.EstablishedOn, ChinaTime.DateOf(register.Clock.GetUtcNow()).AddDays(-1)) } });
        var running = register.Seed(LicenceStatus.Active, sequence: 2);

        Assert.Equal(1, await register.OperatingTerm.ExpireEndedTermsAsync(default));
        Assert.Equal(0, await register.OperatingTerm.ExpireEndedTermsAsync(default));

        Assert.Equal(LicenceStatus.Expired, (await register.Licences.FindCurrentAsync(ended.Code, default))!.Status);
        Assert.Equal(LicenceStatus.Active, (await register.Licences.FindCurrentAsync(running.Code, default))!.Status);
        Assert.Equal(Actor.ExpiryTimer.Id, (await register.Licences.GetHistoryAsync(ended.Code, default))[^1].ActorId);
    }

    private static async Task Do(InMemoryRegister register, Licence licence, LicenceAction action, string objectionId)
    {
        var registrar = InMemoryRegister.Registrar;
        var code = licence.Code.Value;
        switch (action)
        {
            case LicenceAction.Amend:
                var term = new { to = ChinaTime.DateOf(register.Clock.GetUtcNow()).AddYears(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) };
                await register.Actions.AmendAsync(registrar, code, Amendment("domicile", "阿图什市光明路 1 号", "operatingTerm", term), null, default);
                break;
            case LicenceAction.Suspend:
                await register.Actions.SuspendAsync(registrar, code, new(AbnormalOperationsReason.AnnualReportNotFiled, "未按期公示年度报告"), null, default);
                break;
            case LicenceAction.Reinstate:
                await register.Actions.ReinstateAsync(registrar, code, new("已补报"), null, default);
                break;
            case LicenceAction.Revoke:
                await register.Actions.RevokeAsync(registrar, code, new("提交虚假材料", null), null, default);
                break;
            case LicenceAction.OpenDeregistration:
                await register.SimplifiedDeregistration.OpenAsync(registrar, code, new("股东决定解散"), null, default);
                break;
            case LicenceAction.LodgeObjection:
                await register.SimplifiedDeregistration.LodgeObjectionAsync(code, new("某供应商", "13900000000", "欠款未结清"), default);
                break;
            case LicenceAction.DecideObjection:
                await register.SimplifiedDeregistration.DecideObjectionAsync(registrar, code, objectionId, new(ObjectionOutcome.Sustained, "异议成立"), null, default);
                break;
            case LicenceAction.AttachPermit:
                await register.Actions.AttachPermitAsync(registrar, code, new("食品经营许可证", "JY16530010000001", "阿图什市市场监督管理局", ReformMode.NotificationCommitment, new DateOnly(2026, 11, 2), null, null), null, default);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action));
        }
    }

    internal static AmendmentRequest Amendment(params object[] memberValuePairs)
    {
        var changes = new Dictionary<string, System.Text.Json.JsonElement>();
        for (var i = 0; i < memberValuePairs.Length; i += 2)
        {
            changes[(string)memberValuePairs[i]] = System.Text.Json.JsonSerializer.SerializeToElement(memberValuePairs[i + 1]);
        }

        return new AmendmentRequest("变更登记") { Changes = changes };
    }
}
