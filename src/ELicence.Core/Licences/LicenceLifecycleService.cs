using System.Globalization;
using ELicence.Core.Callers;
using ELicence.Core.Credentials;
using ELicence.Core.CreditCodes;
using ELicence.Core.Keys;
using ELicence.Core.Problems;
using ELicence.Core.Serialization;

namespace ELicence.Core.Licences;

/// <summary>
/// Registrar actions on licences and the timers' work. Each change is one atomic commit (licence, history event, new
/// version or permit) guarded by the ETag that was read; the status list follows through a queue.
/// </summary>
public sealed class LicenceLifecycleService(
    ILicenceStore licences,
    ICredentialStore credentials,
    ISequenceAllocator sequence,
    IStatusListQueue statusQueue,
    IKeyRingProvider keys,
    IssuerOptions issuer,
    DeregistrationOptions deregistration,
    ICreditCodeExceptions codeExceptions,
    TimeProvider time)
{
    private static readonly (string Id, string Name) DeregistrationTimer = ("system:deregistration-timer", "ELicence deregistration timer");
    private static readonly (string Id, string Name) ExpiryTimer = ("system:expiry-timer", "ELicence operating-term timer");

    public async Task<Licence> AmendAsync(Caller registrar, string code, AmendmentRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        ArgumentNullException.ThrowIfNull(request);
        var licence = await LoadAsync(code, ifMatch, LicenceAction.Amend, cancellationToken);
        var reason = RequestText.Required("reason", request.Reason, 500);
        var details = request.Apply(licence.Details);
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
        var now = time.GetUtcNow();
        // An amendment that extends an ended term brings an expired licence back to active.
        var status = licence.Status == LicenceStatus.Expired && !details.OperatingTerm.HasEndedBy(ChinaTime.DateOf(now)) ? LicenceStatus.Active : licence.Status;
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
        return await CommitAsync(registrar.Id, registrar.Name, licence, updated, "amended", changes, reason, addsVersion: true, cancellationToken: cancellationToken);
    }

    public async Task<Licence> SuspendAsync(Caller registrar, string code, SuspensionRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        ArgumentNullException.ThrowIfNull(request);
        var licence = await LoadAsync(code, ifMatch, LicenceAction.Suspend, cancellationToken);
        var reasonCode = request.ReasonCode ?? throw ProblemException.Invalid("reasonCode", "Required: one of " + string.Join(", ", Enum.GetValues<AbnormalOperationsReason>().Select(LicenceLifecycle.Kebab)) + ".");
        var reason = RequestText.Required("reason", request.Reason, 500);
        var now = time.GetUtcNow();
        var updated = licence with { Status = LicenceStatus.Suspended, StatusDetail = new StatusDetail(now, LicenceLifecycle.Kebab(reasonCode), reason, ChinaTime.DateOf(now), null) };
        return await CommitAsync(registrar.Id, registrar.Name, licence, updated, "suspended", [], reason, cancellationToken: cancellationToken);
    }

    public async Task<Licence> ReinstateAsync(Caller registrar, string code, ReasonRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        ArgumentNullException.ThrowIfNull(request);
        var licence = await LoadAsync(code, ifMatch, LicenceAction.Reinstate, cancellationToken);
        var reason = RequestText.Required("reason", request.Reason, 500);
        var updated = licence with { Status = LicenceStatus.Active, StatusDetail = StatusDetail.ActiveSince(time.GetUtcNow()) };
        return await CommitAsync(registrar.Id, registrar.Name, licence, updated, "reinstated", [], reason, cancellationToken: cancellationToken);
    }

    public async Task<Licence> RevokeAsync(Caller registrar, string code, RevocationRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        ArgumentNullException.ThrowIfNull(request);
        var licence = await LoadAsync(code, ifMatch, LicenceAction.Revoke, cancellationToken);
        var reason = RequestText.Required("reason", request.Reason, 500);
        var now = time.GetUtcNow();
        var effectiveOn = request.EffectiveOn ?? ChinaTime.DateOf(now);
        if (effectiveOn > ChinaTime.DateOf(now))
        {
            throw ProblemException.Invalid("effectiveOn", "A revocation takes effect today or was decided earlier; it cannot be dated in the future.");
        }

        var updated = licence with { Status = LicenceStatus.Revoked, StatusDetail = new StatusDetail(now, "revoked", reason, effectiveOn, null) };
        return await CommitAsync(registrar.Id, registrar.Name, licence, updated, "revoked", [], reason, cancellationToken: cancellationToken);
    }

    public async Task<Licence> OpenDeregistrationAsync(Caller registrar, string code, ReasonRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        ArgumentNullException.ThrowIfNull(request);
        var licence = await LoadAsync(code, ifMatch, LicenceAction.OpenDeregistration, cancellationToken);
        var reason = request.Reason?.Trim() is { Length: > 0 } r ? RequestText.Required("reason", r, 500) : "Simplified deregistration applied for.";
        var now = time.GetUtcNow();
        var endsAt = now.AddDays(deregistration.NoticeDays);
        var notice = new DeregistrationNotice(now, endsAt, deregistration.Calendar().NextWorkingDayAfter(ChinaTime.DateOf(endsAt)));
        var updated = licence with { Status = LicenceStatus.InDeregistrationNotice, StatusDetail = new StatusDetail(now, "simplified-deregistration", reason, null, notice) };
        return await CommitAsync(registrar.Id, registrar.Name, licence, updated, "deregistration-notice-opened", [], reason, cancellationToken: cancellationToken);
    }

    /// <summary>Anyone may object while the notice runs; the notice then ends as objected and the licence is active again.</summary>
    public async Task<Licence> LodgeObjectionAsync(string code, ObjectionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = RequestText.Required("name", request.Name, 100);
        var contact = RequestText.Required("contact", request.Contact, 200);
        var grounds = RequestText.Required("grounds", request.Grounds, 2000);
        var licence = await LoadAsync(code, null, LicenceAction.LodgeObjection, cancellationToken);
        var now = time.GetUtcNow();
        if (licence.StatusDetail.Notice is { } notice && now >= notice.EndsAt)
        {
            throw new ProblemException(ProblemType.InvalidTransition, $"The deregistration notice of {licence.Code} closed at {notice.EndsAt:O}; objections are no longer accepted.",
                extensions: new Dictionary<string, object?> { ["currentStatus"] = "deregistration-notice-closed", ["allowedActions"] = Array.Empty<string>() });
        }

        var updated = licence with { Status = LicenceStatus.Active, StatusDetail = new StatusDetail(now, "deregistration-objected", "An objection was lodged during the deregistration notice.", null, null) };
        return await CommitAsync("public", name, licence, updated, "deregistration-objected", [], grounds, objection: new Objection(name, contact, grounds, now), cancellationToken: cancellationToken);
    }

    public async Task<Licence> AttachPermitAsync(Caller registrar, string code, PermitRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<FieldError>();
        string? Text(string field, string? value, int max)
        {
            try
            {
                return RequestText.Required(field, value, max);
            }
            catch (ProblemException e)
            {
                errors.AddRange(e.Errors);
                return null;
            }
        }

        var type = Text("permitType", request.PermitType, 100);
        var number = Text("number", request.Number, 100);
        var department = Text("issuingDepartment", request.IssuingDepartment, 200);
        if (request.ReformMode is null)
        {
            errors.Add(new FieldError("reformMode", "Required: one of " + string.Join(", ", Enum.GetValues<ReformMode>().Select(LicenceLifecycle.Kebab)) + "."));
        }

        if (request.ValidFrom is null)
        {
            errors.Add(new FieldError("validFrom", "Required: a date (YYYY-MM-DD)."));
        }
        else if (request.ValidTo is { } to && to < request.ValidFrom)
        {
            errors.Add(new FieldError("validTo", "Cannot end before it starts."));
        }

        if (errors.Count > 0)
        {
            throw ProblemException.Invalid(errors);
        }

        var licence = await LoadAsync(code, ifMatch, LicenceAction.AttachPermit, cancellationToken);
        var now = time.GetUtcNow();
        var permit = new OperatingPermit(ResourceIds.New("pmt_"), type!, number!, department!, request.ReformMode!.Value, request.ValidFrom!.Value, request.ValidTo, request.Status ?? PermitStatus.Valid, now);
        return await CommitAsync(registrar.Id, registrar.Name, licence, licence, "permit-attached",
            [new FieldChange("permits", null, $"{permit.PermitType} {permit.Number} ({LicenceLifecycle.Kebab(permit.ReformMode)})")], null, permit: permit, cancellationToken: cancellationToken);
    }

    /// <summary>Timer: finalises every notice that ended without objection. Runs often, so each is decided well within a working day.</summary>
    public async Task<int> FinaliseDueDeregistrationsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var finalised = 0;
        await foreach (var licence in licences.FindByStatusAsync(LicenceStatus.InDeregistrationNotice, cancellationToken))
        {
            if (licence.StatusDetail.Notice is not { } notice || now < notice.EndsAt)
            {
                continue;
            }

            var updated = licence with
            {
                Status = LicenceStatus.Deregistered,
                StatusDetail = new StatusDetail(now, "simplified-deregistration", "Deregistered after a public notice without objection.", ChinaTime.DateOf(now), notice),
            };
            if (await TryCommitAsync(DeregistrationTimer, licence, updated, "deregistered", "No objection during the notice.", cancellationToken))
            {
                finalised++;
            }
        }

        return finalised;
    }

    /// <summary>Timer: marks active licences whose operating term has ended as expired (verification already says so before this runs).</summary>
    public async Task<int> ExpireEndedTermsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = ChinaTime.DateOf(now);
        var expired = 0;
        await foreach (var licence in licences.FindByStatusAsync(LicenceStatus.Active, cancellationToken))
        {
            if (!licence.Details.OperatingTerm.HasEndedBy(today))
            {
                continue;
            }

            var updated = licence with { Status = LicenceStatus.Expired, StatusDetail = licence.EffectiveStatusDetail(today) with { Since = now } };
            if (await TryCommitAsync(ExpiryTimer, licence, updated, "expired", "The operating term has ended.", cancellationToken))
            {
                expired++;
            }
        }

        return expired;
    }

    public async Task<IReadOnlyList<LicenceEvent>> GetHistoryAsync(Caller caller, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var creditCode = codeExceptions.ParseField(code);
        caller.EnsureMayReadLicence(creditCode);
        _ = await licences.FindCurrentAsync(creditCode, cancellationToken) ?? throw ProblemException.NotFound($"The register has no licence {creditCode}.");
        return await licences.GetHistoryAsync(creditCode, cancellationToken);
    }

    /// <summary>The open deregistration notices, for anyone to see.</summary>
    public async Task<IReadOnlyList<Licence>> OpenNoticesAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var open = new List<Licence>();
        await foreach (var licence in licences.FindByStatusAsync(LicenceStatus.InDeregistrationNotice, cancellationToken))
        {
            if (licence.StatusDetail.Notice is { } notice && now < notice.EndsAt)
            {
                open.Add(licence);
            }
        }

        return [.. open.OrderBy(l => l.StatusDetail.Notice!.EndsAt)];
    }

    private async Task<Licence> LoadAsync(string code, string? ifMatch, LicenceAction action, CancellationToken cancellationToken)
    {
        var creditCode = codeExceptions.ParseField(code);
        var licence = await licences.FindCurrentAsync(creditCode, cancellationToken) ?? throw ProblemException.NotFound($"The register has no licence {creditCode}.");
        if (ifMatch is not null && ifMatch != "*" && ifMatch.Trim('"') != licence.ETag?.Trim('"'))
        {
            throw new ProblemException(ProblemType.PreconditionFailed, $"Licence {creditCode} has changed since the version in If-Match; read it again (its ETag) and retry.");
        }

        LicenceLifecycle.Ensure(licence, action);
        return licence;
    }

    private async Task<Licence> CommitAsync(
        string actorId,
        string actorName,
        Licence before,
        Licence after,
        string type,
        IReadOnlyList<FieldChange> changes,
        string? reason,
        bool addsVersion = false,
        OperatingPermit? permit = null,
        Objection? objection = null,
        CancellationToken cancellationToken = default)
    {
        var sequenceNumber = before.EventCount + 1;
        var statusChanges = before.Status == after.Status ? [] : new[] { new FieldChange("status", LicenceLifecycle.Kebab(before.Status), LicenceLifecycle.Kebab(after.Status)) };
        var evt = new LicenceEvent(sequenceNumber, type, time.GetUtcNow(), actorId, actorName, after.Version, before.Status, after.Status, [.. statusChanges, .. changes], reason);
        var change = new LicenceChange(after with { EventCount = sequenceNumber, ETag = before.ETag }, evt, addsVersion, permit, objection);
        var committed = await licences.TrySaveAsync(change, cancellationToken)
            ?? throw new ProblemException(ProblemType.Conflict, $"Licence {before.Code} was changed by someone else at the same time; nothing of this request was stored. Read it again and retry.");

        // After the commit: the new version's credential (deterministic; GetCredential re-creates it if this is lost) and the status list.
        if (addsVersion)
        {
            var ring = await keys.GetAsync(cancellationToken);
            await credentials.PutIfAbsentAsync(after.Code, after.Version, LicenceCredential.Sign(after, issuer, ring.Signing), cancellationToken);
        }

        await statusQueue.EnqueueSyncAsync(after.Code, cancellationToken);
        return committed; // exactly the version this request committed, never a later one read back

    }

    private async Task<bool> TryCommitAsync((string Id, string Name) actor, Licence before, Licence after, string type, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await CommitAsync(actor.Id, actor.Name, before, after, type, [], reason, cancellationToken: cancellationToken);
            return true;
        }
        catch (ProblemException e) when (e.Type == ProblemType.Conflict)
        {
            return false; // changed meanwhile; the next run looks again
        }
    }


    private static List<FieldChange> Diff(LicenceDetails before, LicenceDetails after)
    {
        var changes = new List<FieldChange>();
        void Compare<T>(string field, T a, T b)
        {
            var from = Render(a);
            var to = Render(b);
            if (from != to)
            {
                changes.Add(new FieldChange(field, from, to));
            }
        }

        Compare("name", before.Name, after.Name);
        Compare("entityType", before.EntityType, after.EntityType);
        Compare("domicile", before.Domicile, after.Domicile);
        Compare("legalRepresentative", before.LegalRepresentative, after.LegalRepresentative);
        Compare("registeredCapital", before.RegisteredCapital, after.RegisteredCapital);
        Compare("establishedOn", before.EstablishedOn, after.EstablishedOn);
        Compare("operatingTerm", before.OperatingTerm, after.OperatingTerm);
        Compare("businessScope", before.BusinessScope, after.BusinessScope);
        Compare("registrationAuthority", before.RegistrationAuthority, after.RegistrationAuthority);
        Compare("english", before.English, after.English);
        return changes;
    }

    private static string? Render<T>(T value) => value switch
    {
        null => null,
        string s => s,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        EntityType e => LicenceLifecycle.Kebab(e),
        _ => ElicenceJson.Serialize(value),
    };
}
