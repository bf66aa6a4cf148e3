using ELicence.Core.CreditCodes;

namespace ELicence.Core.Licences;

/// <summary>Where a licence stands in its life cycle. Every switch over it is exhaustive.</summary>
public enum LicenceStatus
{
    /// <summary>Registered and in good standing.</summary>
    Active,

    /// <summary>Listed in the abnormal-operations list (经营异常名录): genuine, not in good standing.</summary>
    Suspended,

    /// <summary>Simplified deregistration (简易注销) opened: the public notice is running; still registered.</summary>
    InDeregistrationNotice,

    /// <summary>Revoked (吊销营业执照). Final.</summary>
    Revoked,

    /// <summary>Deregistered (注销). Final.</summary>
    Deregistered,

    /// <summary>The operating term has ended.</summary>
    Expired,
}

/// <summary>
/// A running or finished deregistration notice: 20 days of public notice, decision due one working day after. While an
/// objection is under review the clock keeps running, but the notice cannot be finalised.
/// </summary>
/// <remarks><c>ObjectionsQueued</c> counts objections received beyond the ones under review at once (they hold the notice too).</remarks>
public sealed record DeregistrationNotice(DateTimeOffset StartsAt, DateTimeOffset EndsAt, DateOnly DecisionDueBy, int Objections = 0, int ObjectionsUnderReview = 0, int ObjectionsQueued = 0)
{
    public const string Open = "open";
    public const string UnderReview = "objection-under-review";

    /// <summary><c>open</c>, or <c>objection-under-review</c> while the registrar has an objection to decide.</summary>
    public string State => ObjectionsUndecided > 0 ? UnderReview : Open;

    /// <summary>Objections the registrar has still to decide: under review or queued for review.</summary>
    public int ObjectionsUndecided => ObjectionsUnderReview + ObjectionsQueued;

    /// <summary>Ended without an objection left to decide: the timer may deregister.</summary>
    public bool IsDue(DateTimeOffset now) => now >= EndsAt && ObjectionsUndecided == 0;
}

/// <summary>Why and since when a licence has its status.</summary>
public sealed record StatusDetail(DateTimeOffset Since, string? ReasonCode, string? Reason, DateOnly? EffectiveOn, DeregistrationNotice? Notice)
{
    public static StatusDetail ActiveSince(DateTimeOffset since) => new(since, null, null, null, null);
}

/// <summary>A business licence as it stands: its current version, the credential signed for that version, and its status.</summary>
public sealed record Licence(
    CreditCode Code,
    int Version,
    LicenceDetails Details,
    LicenceStatus Status,
    StatusDetail StatusDetail,
    DateOnly IssuedOn,
    DateTimeOffset IssuedAt,
    string CredentialId,
    string ApplicationId,
    long StatusListIndex,
    int EventCount,
    string? ETag)
{
    /// <summary>
    /// The SHA-256 (lower-case hex, as <see cref="Verification.LicenceChecker.Digest"/>) of the compact credential issued for
    /// <see cref="Version"/>, kept on the row by the commit that makes the version, so a verification compares the presented
    /// credential without reading its blob. Null on rows from before it was kept: the blob is read then.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? CredentialSha256 { get; init; }

    /// <summary>
    /// The status a verifier must be told today: an Active (or noticed) licence whose operating term has ended is Expired
    /// even before the daily timer has marked it so.
    /// </summary>
    public LicenceStatus EffectiveStatus(DateOnly today) =>
        Status is LicenceStatus.Active or LicenceStatus.InDeregistrationNotice && Details.OperatingTerm.HasEndedBy(today)
            ? LicenceStatus.Expired
            : Status;

    public StatusDetail EffectiveStatusDetail(DateOnly today) =>
        EffectiveStatus(today) == LicenceStatus.Expired && Status != LicenceStatus.Expired
            ? new StatusDetail(StatusDetail.Since, "operating-term-ended", "The operating term has ended.", Details.OperatingTerm.To!.Value.AddDays(1), null)
            : StatusDetail;

    public LicenceSummary Summarize(DateOnly today) => new(
        Code.Value,
        Details.Name,
        Details.English?.Name,
        Details.EntityType,
        Details.LegalRepresentative,
        Details.EstablishedOn,
        Details.OperatingTerm,
        Details.RegistrationAuthority,
        EffectiveStatus(today),
        EffectiveStatusDetail(today),
        Version);
}

/// <summary>The minimum a verifier needs to know about the licence it checked.</summary>
public sealed record LicenceSummary(
    string CreditCode,
    string Name,
    string? NameEn,
    EntityType EntityType,
    string LegalRepresentative,
    DateOnly EstablishedOn,
    OperatingTerm OperatingTerm,
    string RegistrationAuthority,
    LicenceStatus Status,
    StatusDetail StatusDetail,
    int Version)
{
    /// <summary>The latest annual report on file, where the caller read it (verification does).</summary>
    public AnnualReportStanding? AnnualReport { get; init; }
}
