namespace ELicence.Core.UnitTests.Fakes;

/// <summary>The register's services wired over the in-memory fakes and a fake clock, as the function app wires them over Azure Storage.</summary>
internal sealed class InMemoryRegister
{
    public static readonly Caller Registrar = Caller.Registrar("registrar:test", "Test registrar");

    public InMemoryRegister(DateTimeOffset? now = null, DeregistrationOptions? deregistration = null)
    {
        Clock = new FakeTimeProvider(now ?? Builders.IssuedAt.AddDays(1));
        Keys = new FixedKeyRing(KeyRing.CreateNew(Clock.GetUtcNow()));
        Deregistration = deregistration ?? new DeregistrationOptions { MaxObjections = 3 };
        Committer = new LicenceChangeCommitter(Licences, Credentials, StatusQueue, Keys, Issuer, CreditCodeExceptionList.None, Clock);
        Actions = new RegistrarActions(Committer, Sequence, Licences);
        SimplifiedDeregistration = new SimplifiedDeregistration(Licences, Committer, Deregistration, CreditCodeExceptionList.None);
        OperatingTerm = new OperatingTermTimer(Licences, Committer);
        Queries = new LicenceQueries(Licences, Credentials, Receipts, Keys, Issuer, CreditCodeExceptionList.None);
        Issuance = new IssuanceService(Applications, Sequence, Licences, Credentials, Keys, StatusQueue, Issuer, Clock, Observer);
        ApplicationService = new ApplicationService(Applications, Idempotency, IssuanceQueue, Clock);
    }

    public FakeTimeProvider Clock { get; }

    public IssuerOptions Issuer { get; } = new();

    public DeregistrationOptions Deregistration { get; }

    public FixedKeyRing Keys { get; }

    public InMemoryLicenceStore Licences { get; } = new();

    public InMemoryCredentialStore Credentials { get; } = new();

    public InMemoryReceiptStore Receipts { get; } = new();

    public InMemorySequenceAllocator Sequence { get; } = new();

    public RecordingStatusListQueue StatusQueue { get; } = new();

    public InMemoryApplicationStore Applications { get; } = new();

    public InMemoryIdempotencyStore Idempotency { get; } = new();

    public RecordingIssuanceQueue IssuanceQueue { get; } = new();

    public CrashingIssuanceObserver Observer { get; } = new();

    public LicenceChangeCommitter Committer { get; }

    public RegistrarActions Actions { get; }

    public SimplifiedDeregistration SimplifiedDeregistration { get; }

    public OperatingTermTimer OperatingTerm { get; }

    public LicenceQueries Queries { get; }

    public IssuanceService Issuance { get; }

    public ApplicationService ApplicationService { get; }

    /// <summary>Puts a licence into the register as it would stand with this status (and a running notice where that needs one).</summary>
    public Licence Seed(LicenceStatus status, int sequence = 7)
    {
        var now = Clock.GetUtcNow();
        var licence = Builders.Licence(sequence);
        var detail = status switch
        {
            LicenceStatus.Active => StatusDetail.ActiveSince(now),
            LicenceStatus.Suspended => new StatusDetail(now, "annual-report-not-filed", "未按期公示年度报告", ChinaTime.DateOf(now), null),
            LicenceStatus.InDeregistrationNotice => new StatusDetail(now, "simplified-deregistration", "股东决定解散", null,
                new DeregistrationNotice(now, now.AddDays(Deregistration.NoticeDays), ChinaTime.DateOf(now.AddDays(Deregistration.NoticeDays + 1)))),
            LicenceStatus.Revoked => new StatusDetail(now, "revoked", "提交虚假材料", ChinaTime.DateOf(now), null),
            LicenceStatus.Deregistered => new StatusDetail(now, "simplified-deregistration", "注销", ChinaTime.DateOf(now), null),
            LicenceStatus.Expired => new StatusDetail(now, "operating-term-ended", "The operating term has ended.", ChinaTime.DateOf(now), null),
            _ => throw new ArgumentOutOfRangeException(nameof(status)),
        };
        var details = status == LicenceStatus.Expired
            ? licence.Details with { OperatingTerm = new OperatingTerm(licence.Details.EstablishedOn, ChinaTime.DateOf(now).AddDays(-1)) }
            : licence.Details;
        return Licences.Seed(licence with { Status = status, StatusDetail = detail, Details = details });
    }
}

/// <summary>Lets a test crash issuance right after a chosen step, once.</summary>
internal sealed class CrashingIssuanceObserver : IIssuanceObserver
{
    public IssuanceStep? CrashAfter { get; set; }

    public void StepCompleted(LicenceApplication application, IssuanceStep step)
    {
        if (step == CrashAfter)
        {
            CrashAfter = null;
            throw new IOException($"Simulated crash after {step}.");
        }
    }
}
