using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ELicence.Core.Applications;
using ELicence.Core.Text;

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

/// <summary>
/// An amendment (变更登记): the reason, and the registered fields that change, named as in an application. The fields are
/// a JSON Merge Patch (RFC 7386) over the licence's particulars, validated as a whole as an application would be, so a
/// field added to the application is amendable without touching this type.
/// </summary>
public sealed record AmendmentRequest(string? Reason)
{
    /// <summary>Every member other than <c>reason</c>: the changed fields.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Changes { get; init; }

    /// <summary>
    /// Checks the changed fields on their own, before the licence is read: each must be a field of an application, of the
    /// type an application has. A validation problem names each bad or unknown one.
    /// </summary>
    public JsonObject Validate()
    {
        var patch = new JsonObject();
        var errors = new List<FieldError>();
        foreach (var (name, value) in Changes ?? new Dictionary<string, JsonElement>())
        {
            if (!LicenceApplicationRequest.MemberNames.Contains(name))
            {
                errors.Add(new FieldError(name, "Is not a field of a licence."));
                continue;
            }

            try
            {
                patch[name] = JsonSerializer.SerializeToNode(value);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                errors.Add(new FieldError(name, "Is not valid Unicode text."));
            }
        }

        if (errors.Count > 0)
        {
            throw ProblemException.Invalid(errors);
        }

        // Every member of an application is optional when read; its requiredness is checked on the merged whole.
        _ = LicenceApplicationRequest.FromJson(patch);
        return patch;
    }

    /// <summary>The details after the amendment; a validation problem names each bad field of the merged whole.</summary>
    public LicenceDetails Apply(LicenceDetails current, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(current);
        var patch = Validate();
        var merged = JsonSerializer.SerializeToNode(current, ElicenceJson.Options)!.AsObject();
        foreach (var (name, value) in patch)
        {
            merged[name] = MergePatch(merged[name], value);
        }

        return LicenceApplicationRequest.FromJson(merged).ToDetails(today);
    }

    /// <summary>RFC 7386: objects merge member by member, null removes, anything else replaces.</summary>
    private static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject t ? t.DeepClone().AsObject() : [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = MergePatch(result[name], value);
            }
        }

        return result;
    }
}

public sealed record SuspensionRequest(AbnormalOperationsReason? ReasonCode, string? Reason);

public sealed record ReasonRequest(string? Reason);

/// <summary>Revocation (吊销): the reason and the date it takes effect (today when omitted).</summary>
public sealed record RevocationRequest(string? Reason, DateOnly? EffectiveOn);

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
    public const int ReasonLength = 500;

    /// <summary>A reason for a change, as the history and verifiers will show it.</summary>
    public static string Reason(string? value, string field = "reason") => FreeText.Required(field, value, TextKind.MultiLine, ReasonLength);

    /// <summary>"Required: one of a, b, c." for an enum field.</summary>
    public static string OneOf<T>()
        where T : struct, Enum => "Required: one of " + string.Join(", ", Enum.GetValues<T>().Select(LicenceLifecycle.Kebab)) + ".";
}
