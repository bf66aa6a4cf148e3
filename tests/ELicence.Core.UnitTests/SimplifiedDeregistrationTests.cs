namespace ELicence.Core.UnitTests;

public class SimplifiedDeregistrationTests
{
    private readonly InMemoryRegister _register = new();

    private SimplifiedDeregistration Deregistration => _register.SimplifiedDeregistration;

    [Fact]
    public async Task A_notice_without_objection_is_finalised_by_the_timer_once_its_20_days_have_passed()
    {
        var licence = _register.Seed(LicenceStatus.Active);
        var opened = await Deregistration.OpenAsync(InMemoryRegister.Registrar, licence.Code.Value, new(null), null, default);
        Assert.Equal(TimeSpan.FromDays(20), opened.StatusDetail.Notice!.EndsAt - opened.StatusDetail.Notice.StartsAt);

        _register.Clock.Advance(TimeSpan.FromDays(20) - TimeSpan.FromMinutes(1));
        Assert.Equal(0, await Deregistration.FinaliseDueAsync(default));
        _register.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await Deregistration.FinaliseDueAsync(default));

        var after = await _register.Licences.FindCurrentAsync(licence.Code, default);
        Assert.Equal(LicenceStatus.Deregistered, after!.Status);
        Assert.True(ChinaTime.DateOf(_register.Clock.GetUtcNow()) <= opened.StatusDetail.Notice.DecisionDueBy);
    }

    [Fact]
    public async Task An_objection_holds_the_notice_under_review_and_its_clock_keeps_running()
    {
        var licence = _register.Seed(LicenceStatus.InDeregistrationNotice);

        var objection = await Deregistration.LodgeObjectionAsync(licence.Code.Value, new("阿图什市某供应商", "0908-0000000", "尚有货款未结清"), default);

        var current = (await _register.Licences.FindCurrentAsync(licence.Code, default))!;
        Assert.Equal(LicenceStatus.InDeregistrationNotice, current.Status);
        Assert.Equal(DeregistrationNotice.UnderReview, current.StatusDetail.Notice!.State);
        Assert.Equal(licence.StatusDetail.Notice!.EndsAt, current.StatusDetail.Notice.EndsAt);
        Assert.Equal(ObjectionStatus.UnderReview, objection.Status);
        _register.Clock.Advance(TimeSpan.FromDays(30));
        Assert.Equal(0, await Deregistration.FinaliseDueAsync(default));
        var lodged = (await _register.Licences.GetHistoryAsync(licence.Code, default))[^1];
        Assert.Equal((Actor.PublicObjector.Id, Actor.PublicObjector.Name), (lodged.ActorId, lodged.ActorName));
        Assert.DoesNotContain("供应商", lodged.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sustained_objection_ends_simplified_deregistration_and_closes_the_others()
    {
        var licence = _register.Seed(LicenceStatus.InDeregistrationNotice);
        var first = await Deregistration.LodgeObjectionAsync(licence.Code.Value, new("甲公司", "13900000001", "欠款"), default);
        var second = await Deregistration.LodgeObjectionAsync(licence.Code.Value, new("乙公司", "13900000002", "欠款"), default);

        var active = await Deregistration.DecideObjectionAsync(InMemoryRegister.Registrar, licence.Code.Value, first.Id, new(ObjectionOutcome.Sustained, "异议成立"), null, default);

        Assert.Equal(LicenceStatus.Active, active.Status);
        Assert.Null(active.StatusDetail.Notice);
        var objections = await Deregistration.GetObjectionsAsync(InMemoryRegister.Registrar, licence.Code.Value, default);
        Assert.Equal([(first.Id, ObjectionStatus.Sustained), (second.Id, ObjectionStatus.Closed)], objections.Select(o => (o.Id, o.Status)));
        Assert.Equal(InMemoryRegister.Registrar.Id, objections[0].Decision!.DecidedBy);
    }

    [Fact]
    public async Task A_dismissal_after_the_notice_ended_gives_the_registry_one_working_day_from_the_dismissal()
    {
        var licence = _register.Seed(LicenceStatus.InDeregistrationNotice);
        var objection = await Deregistration.LodgeObjectionAsync(licence.Code.Value, new("甲公司", "a@example.com", "欠款"), default);
        _register.Clock.Advance(TimeSpan.FromDays(25));

        var dismissed = await Deregistration.DecideObjectionAsync(InMemoryRegister.Registrar, licence.Code.Value, objection.Id, new(ObjectionOutcome.Dismissed, "异议不成立"), null, default);

        var notice = dismissed.StatusDetail.Notice!;
        Assert.Equal(DeregistrationNotice.Open, notice.State);
        Assert.Equal(_register.Deregistration.Calendar().NextWorkingDayAfter(ChinaTime.DateOf(_register.Clock.GetUtcNow())), notice.DecisionDueBy);
        Assert.Equal(1, await Deregistration.FinaliseDueAsync(default));
        Assert.Contains("every objection was dismissed", (await _register.Licences.GetHistoryAsync(licence.Code, default))[^1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dismissal_while_another_objection_is_under_review_keeps_the_notice_under_review()
    {
        var licence = _register.Seed(LicenceStatus.InDeregistrationNotice);
        var first = await Deregistration.LodgeObjectionAsync(licence.Code.Value, new("甲公司", "13900000001", "欠款"), default);
        await Deregistration.LodgeObjectionAsync(licence.Code.Value, new("乙公司", "13900000002", "欠款"), default);

        var after = await Deregistration.DecideObjectionAsync(InMemoryRegister.Registrar, licence.Code.Value, first.Id, new(ObjectionOutcome.Dismissed, "不成立"), null, default);

        Assert.Equal(DeregistrationNotice.UnderReview, after.StatusDetail.Notice!.State);
        Assert.Equal(1, after.StatusDetail.Notice.ObjectionsUnderReview);
    }

    [Fact]
    public async Task A_decided_objection_cannot_be_decided_again_and_an_unknown_one_is_not_found()
    {
        var licence = _register.Seed(LicenceStatus.InDeregistrationNotice);
        var objection = await Deregistration.LodgeObjectionAsync(licence.Code.Value, new("甲公司", "13900000001", "欠款"), default);
        await Deregistration.LodgeObjectionAsync(licence.Code.Value, new("乙公司", "13900000002", "欠款"), default);
        await Deregistration.DecideObjectionAsync(InMemoryRegister.Registrar, licence.Code.Value, objection.Id, new(ObjectionOutcome.Dismissed, "不成立"), null, default);

        var again = await Assert.ThrowsAsync<ProblemException>(() => Deregistration.DecideObjectionAsync(InMemoryRegister.Registrar, licence.Code.Value, objection.Id, new(ObjectionOutcome.Sustained, "x"), null, default));
        var unknown = await Assert.ThrowsAsync<ProblemException>(() => Deregistration.DecideObjectionAsync(InMemoryRegister.Registrar, licence.Code.Value, "obj_../../x", new(ObjectionOutcome.Sustained, "x"), null, default));

        Assert.Equal(ProblemType.InvalidTransition, again.Type);
        Assert.Equal(ProblemType.NotFound, unknown.Type);
    }

    [Fact]
    public async Task A_flood_of_objections_cannot_lock_out_a_genuine_creditor()
    {
        var licence = _register.Seed(LicenceStatus.InDeregistrationNotice);
        for (var i = 0; i < _register.Deregistration.MaxObjections + 2; i++)
        {
            await Deregistration.LodgeObjectionAsync(licence.Code.Value, new($"垃圾{i}", $"junk{i}@example.com", "x x"), default);
        }

        var genuine = await Deregistration.LodgeObjectionAsync(licence.Code.Value, new("真正的债权人", "+86 139-0000-0000", "欠款未结清"), default);

        Assert.Equal(ObjectionStatus.Queued, genuine.Status);
        var notice = (await _register.Licences.GetCurrentAsync(licence.Code, default)).StatusDetail.Notice!;
        Assert.Equal((_register.Deregistration.MaxObjections, 3), (notice.ObjectionsUnderReview, notice.ObjectionsQueued));
        Assert.Equal(DeregistrationNotice.UnderReview, notice.State);
        Assert.False(notice.IsDue(notice.EndsAt.AddDays(1)));
    }

    [Fact]
    public async Task Dismissing_one_under_review_moves_the_oldest_queued_objection_up()
    {
        var licence = _register.Seed(LicenceStatus.InDeregistrationNotice);
        for (var i = 0; i < _register.Deregistration.MaxObjections; i++)
        {
            await Deregistration.LodgeObjectionAsync(licence.Code.Value, new($"垃圾{i}", $"1390000000{i}", "x"), default);
            _register.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var genuine = await Deregistration.LodgeObjectionAsync(licence.Code.Value, new("真正的债权人", "13911111111", "欠款未结清"), default);
        _register.Clock.Advance(TimeSpan.FromSeconds(1));
        var later = await Deregistration.LodgeObjectionAsync(licence.Code.Value, new("另一个债权人", "13922222222", "欠款"), default);
        var junk = (await Deregistration.GetObjectionsAsync(InMemoryRegister.Registrar, licence.Code.Value, default))[0];

        await Deregistration.DecideObjectionAsync(InMemoryRegister.Registrar, licence.Code.Value, junk.Id, new(ObjectionOutcome.Dismissed, "无理由"), null, default);

        var all = await Deregistration.GetObjectionsAsync(InMemoryRegister.Registrar, licence.Code.Value, default);
        Assert.Equal(ObjectionStatus.UnderReview, all.Single(o => o.Id == genuine.Id).Status);
        Assert.Equal(ObjectionStatus.Queued, all.Single(o => o.Id == later.Id).Status);
        var notice = (await _register.Licences.GetCurrentAsync(licence.Code, default)).StatusDetail.Notice!;
        Assert.Equal((_register.Deregistration.MaxObjections, 1), (notice.ObjectionsUnderReview, notice.ObjectionsQueued));
    }

    [Fact]
    public async Task Sustaining_an_objection_closes_the_others_including_the_queued_ones()
    {
        var licence = _register.Seed(LicenceStatus.InDeregistrationNotice);
        var lodged = new List<Objection>();
        for (var i = 0; i < _register.Deregistration.MaxObjections + 1; i++)
        {
            lodged.Add(await Deregistration.LodgeObjectionAsync(licence.Code.Value, new($"债权人{i}", $"1390000000{i}", "欠款"), default));
            _register.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        await Deregistration.DecideObjectionAsync(InMemoryRegister.Registrar, licence.Code.Value, lodged[0].Id, new(ObjectionOutcome.Sustained, "成立"), null, default);

        var all = await Deregistration.GetObjectionsAsync(InMemoryRegister.Registrar, licence.Code.Value, default);
        Assert.Equal(ObjectionStatus.Queued, lodged[^1].Status);
        Assert.Equal(ObjectionStatus.Sustained, all.Single(o => o.Id == lodged[0].Id).Status);
        Assert.All(all.Where(o => o.Id != lodged[0].Id), o => Assert.Equal(ObjectionStatus.Closed, o.Status));
        var queued = lodged[^1];
        var again = await Assert.ThrowsAsync<ProblemException>(() => Deregistration.DecideObjectionAsync(InMemoryRegister.Registrar, licence.Code.Value, queued.Id, new(ObjectionOutcome.Dismissed, "x"), null, default));
        Assert.Equal(ProblemType.InvalidTransition, again.Type);
    }

    [Fact]
    public async Task A_repeated_objection_from_the_same_contact_collapses_but_a_different_one_does_not()
    {
        var licence = _register.Seed(LicenceStatus.InDeregistrationNotice);
        var first = await Deregistration.LodgeObjectionAsync(licence.Code.Value, new("某供应商", "+86 139 0000 0000", "欠款  未结清"), default);

        var repeat = await Deregistration.LodgeObjectionAsync(licence.Code.Value, new("某供应商", "86-13900000000", "欠款 未结清"), default);
        var mail = await Deregistration.LodgeObjectionAsync(licence.Code.Value, new("某供应商", "Ops@Example.com", "欠款"), default);
        var mailRepeat = await Deregistration.LodgeObjectionAsync(licence.Code.Value, new("某供应商", "ops@example.COM", "欠款"), default);
        var other = await Deregistration.LodgeObjectionAsync(licence.Code.Value, new("某供应商", "+86 139 0000 0000", "另有欠款"), default);

        Assert.Equal(first.Id, repeat.Id);
        Assert.Equal(mail.Id, mailRepeat.Id);
        Assert.NotEqual(first.Id, other.Id);
        Assert.Equal(3, (await _register.Licences.GetCurrentAsync(licence.Code, default)).StatusDetail.Notice!.Objections);
    }

    [Fact]
    public async Task Objections_are_refused_once_the_notice_has_closed()
    {
        var other = _register.Seed(LicenceStatus.InDeregistrationNotice, sequence: 8);
        _register.Clock.Advance(TimeSpan.FromDays(21));
        var closed = await Assert.ThrowsAsync<ProblemException>(() => Deregistration.LodgeObjectionAsync(other.Code.Value, new("迟到", "13900000000", "欠款"), default));
        Assert.Equal(ProblemType.InvalidTransition, closed.Type);
    }

    [Theory]
    [InlineData("name", "", "Required")]
    [InlineData("name", "x", "two characters")]
    [InlineData("name", "张\u0007三", "U+0007")]
    [InlineData("name", "Ivаn Petrov", "Cyrillic")]
    [InlineData("contact", "someone", "telephone")]
    [InlineData("contact", "13900000000\n", null)] // trailing white space is trimmed
    [InlineData("grounds", "欠款\u2066未结清", "U+2066")]
    [InlineData("grounds", "第一行\n第二行", null)]
    public async Task An_objection_is_validated_field_by_field_before_anything_is_read(string field, string value, string? expected)
    {
        var licence = _register.Seed(LicenceStatus.InDeregistrationNotice);
        var fields = new Dictionary<string, string> { ["name"] = "某供应商", ["contact"] = "13900000000", ["grounds"] = "欠款未结清", [field] = value };
        var request = new ObjectionRequest(fields["name"], fields["contact"], fields["grounds"]);

        if (expected is null)
        {
            await Deregistration.LodgeObjectionAsync(licence.Code.Value, request, default);
            return;
        }

        var problem = await Assert.ThrowsAsync<ProblemException>(() => Deregistration.LodgeObjectionAsync(licence.Code.Value, request, default));
        Assert.Equal(field, Assert.Single(problem.Errors).Field);
        Assert.Contains(expected, problem.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(0, _register.Licences.SaveAttempts);
    }

    [Fact]
    public async Task A_revocation_during_the_notice_closes_the_objections_under_review()
    {
        var licence = _register.Seed(LicenceStatus.InDeregistrationNotice);
        await Deregistration.LodgeObjectionAsync(licence.Code.Value, new("甲公司", "13900000001", "欠款"), default);

        await _register.Actions.RevokeAsync(InMemoryRegister.Registrar, licence.Code.Value, new("提交虚假材料", null), null, default);

        var objection = Assert.Single(await Deregistration.GetObjectionsAsync(InMemoryRegister.Registrar, licence.Code.Value, default));
        Assert.Equal(ObjectionStatus.Closed, objection.Status);
    }

    [Fact]
    public async Task Only_the_registrar_sees_who_objected()
    {
        var licence = _register.Seed(LicenceStatus.InDeregistrationNotice);
        var holder = Callers.Caller.Holder("holder:x", "x", licence.Code);

        var problem = await Assert.ThrowsAsync<ProblemException>(() => Deregistration.GetObjectionsAsync(holder, licence.Code.Value, default));

        Assert.Equal(ProblemType.Forbidden, problem.Type);
    }
}
