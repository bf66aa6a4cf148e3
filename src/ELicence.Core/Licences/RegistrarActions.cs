using System.Text.Json;
using System.Text.Json.Nodes;
using ELicence.Core.Applications;
using ELicence.Core.Callers;
using ELicence.Core.Text;

namespace ELicence.Core.Licences;

/// <summary>
/// What the registrar does to a licence: amend (a new version), suspend, reinstate, revoke, attach a permit. Each is one
/// commit through <see cref="LicenceChangeCommitter"/> and answers the licence exactly as it committed it.
/// </summary>
public sealed class RegistrarActions(LicenceChangeCommitter committer, ISequenceAllocator sequence, ILicenceStore licences, IReinstatementCheck? reinstatement = null)
{
    public async Task<Licence> AmendAsync(Caller registrar, string code, AmendmentRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var reason = RequestText.Reason(request.Reason);
        var licence = await committer.LoadAsync(code, ifMatch, LicenceAction.Amend, cancellationToken);
        var now = committer.Time.GetUtcNow();
        var details = request.Apply(licence.Details, ChinaTime.DateOf(now));
        if (details.EntityType.CreditCodeTypeCharacter() != licence.Details.EntityType.CreditCodeTypeCharacter())
        {
            throw ProblemException.Invalid("entityType", $"Changing to {LicenceLifecycle.Kebab(details.EntityType)} changes the entity type of the credit code; that needs a new registration.");
        }

        var changes = Diff(licence.Details, details);
        if (changes.Count == 0)
        {
            throw ProblemException.Invalid("body", "Nothing would change: send at least one field with a new value.");
        }

        var version = licence.Version + 1;
        var index = await sequence.AllocateAsync(Sequences.StatusListIndices, $"{licence.Code.Value}/v{version}", cancellationToken);
        // An amendment that extends an ended term brings an expired licence back to active.
        var status = licence.Status == LicenceStatus.Expired ? LicenceStatus.Active : licence.Status;
        var updated = licence with
        {
            Version = version,
            Details = details,
            Status = status,
            StatusDetail = status == licence.Status ? licence.StatusDetail : StatusDetail.ActiveSince(now),
            IssuedOn = ChinaTime.DateOf(now),
            IssuedAt = now,
            CredentialId = "urn:uuid:" + Guid.CreateVersion7(),
            StatusListIndex = index,
        };
        return await committer.CommitAsync(new PlannedChange(Actor.Of(registrar), licence, updated, "amended", reason) { Changes = changes, AddsVersion = true }, cancellationToken);
    }

    public async Task<Licence> SuspendAsync(Caller registrar, string code, SuspensionRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var licence = await committer.LoadAsync(code, ifMatch, LicenceAction.Suspend, cancellationToken);
        var reasonCode = request.ReasonCode ?? throw ProblemException.Invalid("reasonCode", RequestText.OneOf<AbnormalOperationsReason>());
        var reason = RequestText.Reason(request.Reason);
        var now = committer.Time.GetUtcNow();
        var updated = licence with { Status = LicenceStatus.Suspended, StatusDetail = new StatusDetail(now, LicenceLifecycle.Kebab(reasonCode), reason, ChinaTime.DateOf(now), null) };
        return await committer.CommitAsync(new PlannedChange(Actor.Of(registrar), licence, updated, "suspended", reason), cancellationToken);
    }

    public async Task<Licence> ReinstateAsync(Caller registrar, string code, ReasonRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var licence = await committer.LoadAsync(code, ifMatch, LicenceAction.Reinstate, cancellationToken);
        var reason = RequestText.Reason(request.Reason);
        if (reinstatement is not null)
        {
            await reinstatement.EnsureMayReinstateAsync(licence, cancellationToken);
        }

        var updated = licence with { Status = LicenceStatus.Active, StatusDetail = StatusDetail.ActiveSince(committer.Time.GetUtcNow()) };
        return await committer.CommitAsync(new PlannedChange(Actor.Of(registrar), licence, updated, "reinstated", reason), cancellationToken);
    }

    public Task<Licence> RevokeAsync(Caller registrar, string code, RevocationRequest request, string? ifMatch, CancellationToken cancellationToken) =>
        RevokeAsync(Actor.Of(registrar), code, request, ifMatch, null, cancellationToken);

    /// <summary>Revokes as <paramref name="actor"/>; with <paramref name="approval"/>, the proposal a supervisor (the actor) approved.</summary>
    public async Task<Licence> RevokeAsync(Actor actor, string code, RevocationRequest request, string? ifMatch, EventApproval? approval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var licence = await committer.LoadAsync(code, ifMatch, LicenceAction.Revoke, cancellationToken);
        var now = committer.Time.GetUtcNow();
        var (reason, effectiveOn) = CheckRevocation(request, ChinaTime.DateOf(now));
        var updated = licence with { Status = LicenceStatus.Revoked, StatusDetail = new StatusDetail(now, "revoked", reason, effectiveOn, null) };
        // A revocation ends a running deregistration notice: its undecided objections are closed with it.
        var closed = licence.StatusDetail.Notice is { ObjectionsUnderReview: > 0 }
            ? (await licences.GetObjectionsAsync(licence.Code, cancellationToken)).Where(o => o.Status == ObjectionStatus.UnderReview).Select(o => o with { Status = ObjectionStatus.Closed }).ToList()
            : [];
        return await committer.CommitAsync(new PlannedChange(actor, licence, updated, "revoked", reason) { Objections = closed, Approval = approval }, cancellationToken);
    }

    /// <summary>The revocation's reason and effective date (today when omitted), or a validation problem naming the field.</summary>
    public static (string Reason, DateOnly EffectiveOn) CheckRevocation(RevocationRequest request, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reason = RequestText.Reason(request.Reason);
        var effectiveOn = request.EffectiveOn ?? today;
        var dateErrors = new List<FieldError>();
        if (!RegisterDates.Check(dateErrors, "effectiveOn", effectiveOn))
        {
            throw ProblemException.Invalid(dateErrors);
        }

        if (effectiveOn > today)
        {
            throw ProblemException.Invalid("effectiveOn", "A revocation takes effect today or was decided earlier; it cannot be dated in the future.");
        }

        return (reason, effectiveOn);
    }

    public async Task<Licence> AttachPermitAsync(Caller registrar, string code, PermitRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<FieldError>();
        var type = FreeText.Check(errors, "permitType", request.PermitType, TextKind.Name, 100);
        var number = FreeText.Check(errors, "number", request.Number, TextKind.Identifier, 100);
        var department = FreeText.Check(errors, "issuingDepartment", request.IssuingDepartment, TextKind.Name, 200);
        if (request.ReformMode is null)
        {
            errors.Add(new FieldError("reformMode", RequestText.OneOf<ReformMode>()));
        }

        if (request.ValidFrom is null)
        {
            errors.Add(new FieldError("validFrom", "Required: a date (YYYY-MM-DD)."));
        }
        else if (RegisterDates.Check(errors, "validFrom", request.ValidFrom) && RegisterDates.Check(errors, "validTo", request.ValidTo)
            && request.ValidTo is { } to && to < request.ValidFrom)
        {
            errors.Add(new FieldError("validTo", "Cannot end before it starts."));
        }

        if (errors.Count > 0)
        {
            throw ProblemException.Invalid(errors);
        }

        var licence = await committer.LoadAsync(code, ifMatch, LicenceAction.AttachPermit, cancellationToken);
        var permit = new OperatingPermit(ResourceIds.New("pmt_"), type!, number!, department!, request.ReformMode!.Value, request.ValidFrom!.Value, request.ValidTo, request.Status ?? PermitStatus.Valid, committer.Time.GetUtcNow());
        return await committer.CommitAsync(
            new PlannedChange(Actor.Of(registrar), licence, licence, "permit-attached", null)
            {
                Changes = [new FieldChange("permits", null, $"{permit.PermitType} {permit.Number} ({LicenceLifecycle.Kebab(permit.ReformMode)})")],
                Permit = permit,
            },
            cancellationToken);
    }

    /// <summary>The fields an amendment changes, compared in their JSON form so that a new field needs no code here.</summary>
    internal static List<FieldChange> Diff(LicenceDetails before, LicenceDetails after)
    {
        var from = JsonSerializer.SerializeToNode(before, ElicenceJson.Options)!.AsObject();
        var to = JsonSerializer.SerializeToNode(after, ElicenceJson.Options)!.AsObject();
        return [.. from.Select(m => m.Key).Union(to.Select(m => m.Key))
            .Where(field => !JsonNode.DeepEquals(from[field], to[field]))
            .Select(field => new FieldChange(field, Render(from[field]), Render(to[field])))];
    }

    private static string? Render(JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToJsonString(ElicenceJson.Options),
    };
}
