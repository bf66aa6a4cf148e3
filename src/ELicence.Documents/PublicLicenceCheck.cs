using System.Globalization;
using ELicence.Core.CreditCodes;
using ELicence.Core.Kernel;
using ELicence.Core.Licences;
using ELicence.Core.Problems;
using ELicence.Core.Verification;

namespace ELicence.Documents;

/// <summary>Where a licence stands, in the words of the public page.</summary>
public enum PublicState
{
    Valid,
    NotYetInForce,
    UnderDeregistrationNotice,
    NotInGoodStanding,
    Revoked,
    Deregistered,
    Expired,
}

/// <summary>The licence's standing for the public: the state, the date that goes with it, the reason the register makes public.</summary>
public sealed record PublicStanding(PublicState State, DateOnly? Date, string? Reason)
{
    public static PublicStanding Of(LicenceSummary licence, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(licence);
        var detail = licence.StatusDetail;
        return licence.Status switch
        {
            LicenceStatus.Active when today < licence.OperatingTerm.From => new(PublicState.NotYetInForce, licence.OperatingTerm.From, null),
            LicenceStatus.Active => new(PublicState.Valid, null, null),
            LicenceStatus.Suspended => new(PublicState.NotInGoodStanding, detail.EffectiveOn ?? ChinaTime.DateOf(detail.Since), detail.Reason),
            LicenceStatus.InDeregistrationNotice => new(PublicState.UnderDeregistrationNotice, detail.Notice is { } n ? ChinaTime.DateOf(n.EndsAt) : null, null),
            LicenceStatus.Revoked => new(PublicState.Revoked, detail.EffectiveOn ?? ChinaTime.DateOf(detail.Since), detail.Reason),
            LicenceStatus.Deregistered => new(PublicState.Deregistered, detail.EffectiveOn ?? ChinaTime.DateOf(detail.Since), null),
            LicenceStatus.Expired => new(PublicState.Expired, licence.OperatingTerm.To, null),
            _ => throw new InvalidOperationException($"Unknown status {licence.Status}."),
        };
    }
}

/// <summary>What a printed copy (the <c>v</c> and <c>d</c> of its QR link) is.</summary>
public enum CopyVerdict
{
    /// <summary>No copy was named.</summary>
    None,

    /// <summary>The copy of the current version, issued by this register.</summary>
    Current,

    /// <summary>Issued by this register, but the licence was amended since.</summary>
    Superseded,

    /// <summary>No credential this register issued matches the link.</summary>
    NotIssued,
}

/// <summary>The public page of one licence.</summary>
public sealed record PublicLicencePage(Licence Licence, PublicStanding Standing, CopyVerdict Copy, int? CopyVersion)
{
    /// <summary>The latest annual report on file: "annual report for YEAR filed on …".</summary>
    public AnnualReportStanding? AnnualReport { get; init; }
}

/// <summary>The result of checking a credential someone pasted or a PDF they uploaded.</summary>
public sealed record PublicCredentialCheck(bool Valid, IReadOnlyList<VerificationReason> Reasons, LicenceSummary? Licence, PublicStanding? Standing);

/// <summary>
/// The public verification page's questions, for anyone without an account: the licence's standing and register fields,
/// whether a printed copy is current, and whether a credential (pasted or extracted from a PDF) is genuine. Nothing here
/// writes: anonymous checks leave no receipt.
/// </summary>
public sealed class PublicLicenceCheck(ILicenceStore licences, ICredentialStore credentials, VerificationService verification, ICreditCodeExceptions codeExceptions, TimeProvider time)
{
    public async Task<PublicLicencePage> GetPageAsync(string code, string? version, string? digest, CancellationToken cancellationToken)
    {
        var creditCode = codeExceptions.ParseField(code, "code");
        // The licence with its permits and annual-report standing: one partition query, the same as the licence alone.
        var found = await licences.FindCurrentWithPermitsAsync(creditCode, cancellationToken)
            ?? throw ProblemException.LicenceNotFound(creditCode.Value);
        var licence = found.Licence;
        var today = ChinaTime.DateOf(time.GetUtcNow());
        var standing = PublicStanding.Of(licence.Summarize(today), today);
        if (version is null && digest is null)
        {
            return new PublicLicencePage(licence, standing, CopyVerdict.None, null) { AnnualReport = found.AnnualReport };
        }

        var copy = int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 1 && v <= licence.Version && digest is not null
            && await credentials.FindAsync(licence.Code, v, cancellationToken) is { } issued && PrintedCopy.Matches(issued, digest)
                ? (v == licence.Version ? CopyVerdict.Current : CopyVerdict.Superseded)
                : CopyVerdict.NotIssued;
        return new PublicLicencePage(licence, standing, copy, copy == CopyVerdict.NotIssued ? null : v) { AnnualReport = found.AnnualReport };
    }

    /// <summary>Checks a credential as a verifier would (signature, byte-equality with the issued one, status), without a receipt.</summary>
    public async Task<PublicCredentialCheck> CheckCredentialAsync(string credential, CancellationToken cancellationToken)
    {
        var result = await verification.CheckWithoutReceiptAsync(credential, cancellationToken);
        var today = ChinaTime.DateOf(time.GetUtcNow());
        return new PublicCredentialCheck(result.Valid, result.Reasons, result.Licence, result.Licence is null ? null : PublicStanding.Of(result.Licence, today));
    }
}
