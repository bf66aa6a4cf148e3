namespace ELicence.Core.Licences;

/// <summary>The four reform modes of 证照分离 (measure 11).</summary>
public enum ReformMode
{
    /// <summary>直接取消审批</summary>
    ApprovalCancelled,

    /// <summary>审批改为备案</summary>
    ApprovalChangedToFiling,

    /// <summary>实行告知承诺</summary>
    NotificationCommitment,

    /// <summary>优化审批服务</summary>
    OptimisedApproval,
}

public enum PermitStatus
{
    Valid,
    Suspended,
    Revoked,
}

/// <summary>An operating permit attached to a licence, issued by another department.</summary>
public sealed record OperatingPermit(
    string Id,
    string PermitType,
    string Number,
    string IssuingDepartment,
    ReformMode ReformMode,
    DateOnly ValidFrom,
    DateOnly? ValidTo,
    PermitStatus Status,
    DateTimeOffset AttachedAt)
{
    public bool HasExpiredBy(DateOnly day) => ValidTo is { } to && day > to;

    /// <summary>In force today: valid status and within its dates.</summary>
    public bool IsInForce(DateOnly day) => Status == PermitStatus.Valid && day >= ValidFrom && !HasExpiredBy(day);
}
