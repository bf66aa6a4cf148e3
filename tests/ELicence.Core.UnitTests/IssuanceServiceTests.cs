namespace ELicence.Core.UnitTests;

public class IssuanceServiceTests
{
    private readonly InMemoryRegister _register = new();

    [Fact]
    public async Task An_application_is_issued_once_with_a_code_a_first_event_and_a_credential()
    {
        var application = await Submit();

        await _register.Issuance.IssueAsync(application.Id, default);
        await _register.Issuance.IssueAsync(application.Id, default); // a duplicate delivery

        var issued = (await _register.Applications.FindAsync(application.Id, default))!;
        Assert.Equal(ApplicationStatus.Issued, issued.Status);
        var code = CreditCodes.CreditCode.Parse(issued.CreditCode!);
        var licence = (await _register.Licences.FindCurrentAsync(code, default))!;
        Assert.Equal(application.Id, licence.ApplicationId);
        var first = Assert.Single(await _register.Licences.GetHistoryAsync(code, default));
        Assert.Equal(("issued", 1), (first.Type, first.Sequence));
        Assert.Equal((InMemoryRegister.Registrar.Id, InMemoryRegister.Registrar.Name), (first.ActorId, first.ActorName)); // named like every later event
        Assert.Null(first.StatusBefore);
        Assert.NotNull(await _register.Credentials.FindAsync(code, 1, default));
    }

    [Theory]
    [InlineData(IssuanceStep.CodeAllocated)]
    [InlineData(IssuanceStep.LicenceStored)]
    [InlineData(IssuanceStep.CredentialStored)]
    [InlineData(IssuanceStep.ApplicationMarkedIssued)]
    public async Task A_crash_after_any_step_is_finished_by_the_retry_with_one_licence_and_one_code(IssuanceStep crashAfter)
    {
        var application = await Submit();
        _register.Observer.CrashAfter = crashAfter;

        await Assert.ThrowsAsync<IOException>(() => _register.Issuance.IssueAsync(application.Id, default));
        await _register.Issuance.IssueAsync(application.Id, default);

        var issued = (await _register.Applications.FindAsync(application.Id, default))!;
        Assert.Equal(ApplicationStatus.Issued, issued.Status);
        var code = CreditCodes.CreditCode.Parse(issued.CreditCode!);
        Assert.Single(await _register.Licences.FindVersionsAsync(code, default));
        Assert.Single(await _register.Licences.GetHistoryAsync(code, default));
        Assert.NotNull(await _register.Credentials.FindAsync(code, 1, default));
        // The next application gets the next number: the crashed attempt used none twice.
        var next = await Submit("another");
        await _register.Issuance.IssueAsync(next.Id, default);
        Assert.NotEqual(issued.CreditCode, (await _register.Applications.FindAsync(next.Id, default))!.CreditCode);
    }

    [Fact]
    public async Task An_application_that_ends_in_the_poison_queue_fails_with_the_last_recorded_error()
    {
        var application = await Submit();

        await _register.Issuance.RecordFailedAttemptAsync(application.Id, "storage unavailable", default);
        await _register.Issuance.RecordFailedAttemptAsync(application.Id, "storage still unavailable", default);
        await _register.Issuance.MarkFailedAsync(application.Id, default);
        await _register.Issuance.IssueAsync(application.Id, default); // a late redelivery does nothing

        var failed = (await _register.Applications.FindAsync(application.Id, default))!;
        Assert.Equal(ApplicationStatus.Failed, failed.Status);
        Assert.Equal("Issuance failed after 2 attempt(s): storage still unavailable", failed.FailureReason);
        Assert.Null(failed.CreditCode);
    }

    [Fact]
    public async Task The_same_Idempotency_Key_with_the_same_application_returns_the_first_and_queues_it_once()
    {
        var first = await _register.ApplicationService.SubmitAsync(InMemoryRegister.Registrar, Builders.Application(), "key-1", default);
        var again = await _register.ApplicationService.SubmitAsync(InMemoryRegister.Registrar, Builders.Application() with { Name = " 阿图什市天山果业有限公司 " }, "key-1", default);

        Assert.Equal(first.Id, again.Id);
        Assert.Single(_register.IssuanceQueue.Queued);
        Assert.True(again.Queued);
    }

    [Fact]
    public async Task The_same_Idempotency_Key_with_another_application_is_refused_and_creates_nothing()
    {
        await _register.ApplicationService.SubmitAsync(InMemoryRegister.Registrar, Builders.Application(), "key-1", default);

        var problem = await Assert.ThrowsAsync<ProblemException>(() =>
            _register.ApplicationService.SubmitAsync(InMemoryRegister.Registrar, Builders.Application() with { Domicile = "别处" }, "key-1", default));

        Assert.Equal(ProblemType.IdempotencyKeyReused, problem.Type);
        Assert.Single(_register.IssuanceQueue.Queued);
    }

    [Fact]
    public async Task An_Idempotency_Key_is_scoped_to_its_caller()
    {
        var other = Callers.Caller.Registrar("registrar:other", "Other registrar");

        var mine = await _register.ApplicationService.SubmitAsync(InMemoryRegister.Registrar, Builders.Application(), "key-1", default);
        var theirs = await _register.ApplicationService.SubmitAsync(other, Builders.Application() with { Domicile = "别处" }, "key-1", default);

        Assert.NotEqual(mine.Id, theirs.Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("ключ")]
    public async Task A_malformed_Idempotency_Key_is_a_validation_problem(string key)
    {
        var problem = await Assert.ThrowsAsync<ProblemException>(() => _register.ApplicationService.SubmitAsync(InMemoryRegister.Registrar, Builders.Application(), key, default));

        Assert.Equal("Idempotency-Key", Assert.Single(problem.Errors).Field);
        Assert.Empty(_register.IssuanceQueue.Queued);
    }

    [Fact]
    public async Task An_application_for_a_term_that_has_already_ended_is_refused_on_the_field()
    {
        var ended = Builders.Application() with { EstablishedOn = new DateOnly(2001, 1, 1), OperatingTerm = new OperatingTermRequest(new DateOnly(2001, 1, 1), new DateOnly(2021, 1, 1)) };

        var problem = await Assert.ThrowsAsync<ProblemException>(() => _register.ApplicationService.SubmitAsync(InMemoryRegister.Registrar, ended, null, default));

        Assert.Equal("operatingTerm.to", Assert.Single(problem.Errors).Field);
        Assert.Empty(_register.IssuanceQueue.Queued);
    }

    [Theory]
    [InlineData("9999-12-31", null, "operatingTerm.to")]
    [InlineData(null, "0001-01-01", "establishedOn")]
    public async Task Dates_outside_the_register_range_are_refused_before_anything_is_stored(string? termEnd, string? established, string field)
    {
        var request = Builders.Application();
        request = termEnd is null
            ? request with { EstablishedOn = DateOnly.Parse(established!, System.Globalization.CultureInfo.InvariantCulture) }
            : request with { OperatingTerm = new OperatingTermRequest(request.OperatingTerm!.From, DateOnly.Parse(termEnd, System.Globalization.CultureInfo.InvariantCulture)) };

        var problem = await Assert.ThrowsAsync<ProblemException>(() => _register.ApplicationService.SubmitAsync(InMemoryRegister.Registrar, request, null, default));

        Assert.Contains(problem.Errors, e => e.Field == field);
        Assert.Empty(_register.IssuanceQueue.Queued);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(365 * 900)]
    public async Task An_establishment_date_after_the_date_of_issue_is_refused_naming_the_field(int daysAhead)
    {
        var today = ChinaTime.DateOf(_register.Clock.GetUtcNow());
        var request = Builders.Application() with { EstablishedOn = today.AddDays(daysAhead), OperatingTerm = new OperatingTermRequest(today.AddDays(daysAhead), null) };

        var problem = await Assert.ThrowsAsync<ProblemException>(() => _register.ApplicationService.SubmitAsync(InMemoryRegister.Registrar, request, null, default));

        var error = Assert.Single(problem.Errors);
        Assert.Equal("establishedOn", error.Field);
        Assert.Contains("after the date of issue", error.Message, StringComparison.Ordinal);
        Assert.Empty(_register.IssuanceQueue.Queued);
    }

    [Fact]
    public async Task A_business_established_today_with_a_term_starting_later_is_accepted()
    {
        var today = ChinaTime.DateOf(_register.Clock.GetUtcNow());
        var request = Builders.Application() with { EstablishedOn = today, OperatingTerm = new OperatingTermRequest(today.AddDays(30), null) };

        await _register.ApplicationService.SubmitAsync(InMemoryRegister.Registrar, request, null, default);

        Assert.Single(_register.IssuanceQueue.Queued);
    }

    private Task<LicenceApplication> Submit(string key = "issuance-test") =>
        _register.ApplicationService.SubmitAsync(InMemoryRegister.Registrar, Builders.Application() with { Domicile = "阿图什市 " + key }, key, default);
}
