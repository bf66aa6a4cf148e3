using System.Globalization;
using ELicence.Core.Licences;

namespace ELicence.Core.Verification;

/// <summary>What a verifier is told about a licence's standing on a given day, beyond the credential itself.</summary>
public static class StatusReasons
{
    /// <summary>The reasons the licence's status and operating term give today; empty when it is simply in force.</summary>
    public static IReadOnlyList<VerificationReason> For(Licence licence, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(licence);
        var detail = licence.EffectiveStatusDetail(today);
        var reason = detail.Reason is null ? "" : $" Reason: {detail.Reason}";
        VerificationReason? status = licence.EffectiveStatus(today) switch
        {
            LicenceStatus.Active => null,
            LicenceStatus.InDeregistrationNotice => new(ReasonCodes.DeregistrationNotice, detail.Notice is { State: DeregistrationNotice.UnderReview }
                ? $"The licence is valid; simplified deregistration is under public notice until {detail.Notice.EndsAt:O} and an objection to it is under review by the registrar."
                : $"The licence is valid, but simplified deregistration is under public notice until {detail.Notice?.EndsAt:O}; the business may cease to exist after it."),
            LicenceStatus.Suspended => new(ReasonCodes.Suspended,
                $"The licence is genuine but not in good standing: listed in the abnormal-operations list ({Wording(detail.ReasonCode)}) since {Date(detail.EffectiveOn)}.{reason}"),
            LicenceStatus.Revoked => new(ReasonCodes.Revoked, $"The licence was revoked with effect from {Date(detail.EffectiveOn)}.{reason}"),
            LicenceStatus.Deregistered => new(ReasonCodes.Deregistered, $"The business was deregistered on {Date(detail.EffectiveOn)}; it no longer exists."),
            LicenceStatus.Expired => new(ReasonCodes.Expired, $"The operating term ended on {Date(licence.Details.OperatingTerm.To)}."),
            _ => throw new InvalidOperationException($"Unknown status {licence.Status}."),
        };

        // A term that starts in the future (a business registered ahead of its start) is not yet a licence to operate.
        VerificationReason? notYet = today < licence.Details.OperatingTerm.From && licence.Status is LicenceStatus.Active or LicenceStatus.Suspended or LicenceStatus.InDeregistrationNotice
            ? new(ReasonCodes.NotYetInForce, $"The operating term starts on {Date(licence.Details.OperatingTerm.From)}; the licence is not in force before then.")
            : null;
        return [.. new[] { notYet, status }.OfType<VerificationReason>()];
    }

    /// <summary>A listing's reason code with what it means (企业经营异常名录管理暂行办法, art. 4), so a verifier reads why without a code table.</summary>
    public static string Wording(string? reasonCode) => reasonCode switch
    {
        "annual-report-not-filed" => "annual-report-not-filed: the annual report was not filed by its deadline",
        "information-not-disclosed" => "information-not-disclosed: required information was not disclosed within the time ordered",
        "false-information" => "false-information: disclosed information concealed the truth or was falsified",
        "unreachable-at-domicile" => "unreachable-at-domicile: the business cannot be reached at its registered domicile",
        null => "no reason code",
        _ => reasonCode,
    };

    private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "an unrecorded date";
}
