using ELicence.Core.Applications;
using ELicence.Core.Problems;

namespace ELicence.Core.Licences;

/// <summary>Reasons for listing in the abnormal-operations list (企业经营异常名录管理暂行办法, art. 4).</summary>
public enum AbnormalOperationsReason
{
    /// <summary>未按规定期限公示年度报告</summary>
    AnnualReportNotFiled,

    /// <summary>未在责令期限内公示有关企业信息</summary>
    InformationNotDisclosed,

    /// <summary>公示企业信息隐瞒真实情况、弄虚作假</summary>
    FalseInformation,

    /// <summary>通过登记的住所或者经营场所无法联系</summary>
    UnreachableAtDomicile,
}

/// <summary>An amendment (变更登记): only the fields that change, and why.</summary>
public sealed record AmendmentRequest(
    string? Name,
    Licences.EntityType? EntityType,
    string? Domicile,
    string? LegalRepresentative,
    MoneyRequest? RegisteredCapital,
    DateOnly? EstablishedOn,
    OperatingTermRequest? OperatingTerm,
    string? BusinessScope,
    string? RegistrationAuthority,
    EnglishRendering? English,
    string? Reason)
{
    /// <summary>The details after the amendment, validated as a whole as an application would be.</summary>
    public LicenceDetails Apply(LicenceDetails current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return new LicenceApplicationRequest(
            Name ?? current.Name,
            EntityType ?? current.EntityType,
            Domicile ?? current.Domicile,
            LegalRepresentative ?? current.LegalRepresentative,
            RegisteredCapital ?? new MoneyRequest(current.RegisteredCapital.Amount, current.RegisteredCapital.Currency),
            EstablishedOn ?? current.EstablishedOn,
            OperatingTerm ?? new OperatingTermRequest(current.OperatingTerm.From, current.OperatingTerm.To),
            BusinessScope ?? current.BusinessScope,
            RegistrationAuthority ?? current.RegistrationAuthority,
            English ?? current.English).ToDetails();
    }
}

public sealed record SuspensionRequest(AbnormalOperationsReason? ReasonCode, string? Reason);

public sealed record ReasonRequest(string? Reason);

/// <summary>Revocation (吊销): the reason and the date it takes effect (today when omitted).</summary>
public sealed record RevocationRequest(string? Reason, DateOnly? EffectiveOn);

/// <summary>An objection to a deregistration notice, by anyone: who, how to reach them, and the grounds.</summary>
public sealed record ObjectionRequest(string? Name, string? Contact, string? Grounds);

public sealed record PermitRequest(
    string? PermitType,
    string? Number,
    string? IssuingDepartment,
    ReformMode? ReformMode,
    DateOnly? ValidFrom,
    DateOnly? ValidTo,
    PermitStatus? Status);

/// <summary>Field checks shared by the life-cycle requests.</summary>
internal static class RequestText
{
    public static string Required(string field, string? value, int maxLength)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw ProblemException.Invalid(field, "Required and must not be blank.");
        }

        if (trimmed.Length > maxLength)
        {
            throw ProblemException.Invalid(field, $"At most {maxLength} characters; got {trimmed.Length}.");
        }

        return trimmed;
    }
}
