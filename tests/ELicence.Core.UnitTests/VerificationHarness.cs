using ELicence.Core.Presentations;
using ELicence.Core.Verifiers;

namespace ELicence.Core.UnitTests;

/// <summary>
/// A <see cref="VerificationService"/> over the in-memory fakes, with a key ring of one active, one retired and one
/// compromised key, and a register the test fills with <see cref="Issue"/>.
/// </summary>
internal sealed class VerificationHarness
{
    /// <summary>1 December 2026, 10:00 in Atushi.</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    public static readonly Caller Verifier = Caller.Verifier(Builders.Bank.Id, Builders.Bank.Name, VerifierKind.Bank);

    public VerificationHarness()
    {
        Active = SigningKey.Create(Now.AddDays(-30));
        Retired = SigningKey.Create(Now.AddDays(-400)) with { State = KeyState.Retired };
        Compromised = SigningKey.Create(Now.AddDays(-200)) with { State = KeyState.Compromised };
        var pki = KeyRingPki.Create(Now.AddDays(-30));
        Ring = new KeyRing([Active, Retired, Compromised, pki.NewEs256Key(Now.AddDays(-30), KeyState.Active)], Active.KeyId, pki);
        Licences = new CountingLicenceStore(Register);
        var checker = new LicenceChecker(Licences, Credentials, new FixedKeyRing(Ring), Issuer, CreditCodeExceptionList.None, Clock);
        var presentations = new PresentationChecker(Licences, PresentationUses, Issuer, CreditCodeExceptionList.None);
        Service = new VerificationService(checker, presentations, Receipts, Issuer);
        Batch = new BatchVerificationService(checker, presentations, BatchReceipts, Issuer, new VerificationOptions { BatchParallelism = 4 });
    }

    public InMemoryLicenceStore Register { get; } = new();

    public CountingLicenceStore Licences { get; }

    public InMemoryCredentialStore Credentials { get; } = new();

    public InMemoryReceiptStore Receipts { get; } = new();

    public InMemoryPresentationUseStore PresentationUses { get; } = new();

    public CountingTimeProvider Clock { get; } = new(Now);

    public IssuerOptions Issuer { get; } = new();

    public SigningKey Active { get; }

    public SigningKey Retired { get; }

    public SigningKey Compromised { get; }

    /// <summary>A key of nobody's ring.</summary>
    public SigningKey Stranger { get; } = SigningKey.Create(Now);

    public KeyRing Ring { get; }

    public VerificationService Service { get; }

    public BatchVerificationService Batch { get; }

    public InMemoryBatchReceiptStore BatchReceipts { get; } = new();

    /// <summary>Puts the licence in the register with its credential signed by <paramref name="key"/> (the active key by default); returns the credential.</summary>
    public string Issue(Licence licence, SigningKey? key = null, params OperatingPermit[] permits)
    {
        Register.Seed(licence, permits);
        return StoreCredential(licence, key);
    }

    /// <summary>Signs and stores the credential of one version (an earlier version of a licence already in the register, say).</summary>
    public string StoreCredential(Licence version, SigningKey? key = null)
    {
        var jws = LicenceCredential.Sign(version, Issuer, key ?? Active);
        Credentials.PutIfAbsentAsync(version.Code, version.Version, jws, default).GetAwaiter().GetResult();
        return jws;
    }

    /// <summary>A genuine credential of a licence the register does not hold.</summary>
    public string SignWithoutIssuing(Licence licence, SigningKey? key = null, IssuerOptions? issuer = null) =>
        LicenceCredential.Sign(licence, issuer ?? Issuer, key ?? Active);

    public Task<VerificationResult> VerifyCredentialAsync(string credential, string? purpose = "account-opening") =>
        Service.VerifyAsync(Verifier, new VerificationRequest(credential, null, purpose), default);

    public Task<VerificationResult> VerifyCodeAsync(string code, string? purpose = "account-opening") =>
        Service.VerifyAsync(Verifier, new VerificationRequest(null, code, purpose), default);
}
