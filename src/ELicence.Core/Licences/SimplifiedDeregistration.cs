using System.Text.RegularExpressions;
using ELicence.Core.Callers;
using ELicence.Core.CreditCodes;
using ELicence.Core.Text;

namespace ELicence.Core.Licences;

/// <summary>
/// Simplified deregistration (简易注销, measure 8): a public notice of 20 days; anyone may object while it runs; an objection
/// puts the notice under review (its clock keeps running) until the registrar sustains it (deregistration ends, the licence
/// is active) or dismisses it (the notice goes on); a notice that has ended with nothing under review is finalised by a
/// timer within one working day.
/// </summary>
public sealed partial class SimplifiedDeregistration(ILicenceStore licences, LicenceChangeCommitter committer, DeregistrationOptions options, ICreditCodeExceptions codeExceptions)
{
    public async Task<Licence> OpenAsync(Caller registrar, string code, ReasonRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var licence = await committer.LoadAsync(code, ifMatch, LicenceAction.OpenDeregistration, cancellationToken);
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? "Simplified deregistration applied for." : RequestText.Reason(request.Reason);
        var now = committer.Time.GetUtcNow();
        var endsAt = now.AddDays(options.NoticeDays);
        var notice = new DeregistrationNotice(now, endsAt, options.Calendar().NextWorkingDayAfter(ChinaTime.DateOf(endsAt)));
        var updated = licence with { Status = LicenceStatus.InDeregistrationNotice, StatusDetail = new StatusDetail(now, "simplified-deregistration", reason, null, notice) };
        return await committer.CommitAsync(new PlannedChange(Actor.Of(registrar), licence, updated, "deregistration-notice-opened", reason), cancellationToken);
    }

    /// <summary>Anyone may object while the notice runs. The notice is then under review; the objector's identity stays with the registrar.</summary>
    public async Task<Objection> LodgeObjectionAsync(string code, ObjectionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<FieldError>();
        var name = FreeText.Check(errors, "name", request.Name, TextKind.Name, 100);
        var contact = FreeText.Check(errors, "contact", request.Contact, TextKind.Line, 200);
        var grounds = FreeText.Check(errors, "grounds", request.Grounds, TextKind.MultiLine, 2000);
        if (name is { Length: < 2 })
        {
            errors.Add(new FieldError("name", "The objector's full name or the organisation's name: at least two characters."));
        }

        if (contact is not null && !PhoneNumber().IsMatch(contact) && !EmailAddress().IsMatch(contact))
        {
            errors.Add(new FieldError("contact", "A telephone number (digits, spaces, +, -, parentheses; 5 to 30 characters) or an e-mail address, so that the registrar can reach you."));
        }

        if (errors.Count > 0)
        {
            throw ProblemException.Invalid(errors);
        }

        var licence = await committer.LoadAsync(code, null, LicenceAction.LodgeObjection, cancellationToken);
        var notice = licence.StatusDetail.Notice ?? throw new InvalidOperationException($"Licence {licence.Code} is in a notice without notice dates.");
        var now = committer.Time.GetUtcNow();
        if (now >= notice.EndsAt)
        {
            throw new ProblemException(ProblemType.InvalidTransition, $"The deregistration notice of {licence.Code} closed at {notice.EndsAt:O}; objections are no longer accepted.",
                extensions: new Dictionary<string, object?> { ["currentStatus"] = "deregistration-notice-closed", ["allowedActions"] = Array.Empty<string>() });
        }

        // A repeat of an undecided objection (same contact, same grounds: a second press of "submit") is the same objection.
        var ofThisNotice = notice.Objections == 0 ? [] : OfNotice(await licences.GetObjectionsAsync(licence.Code, cancellationToken), notice);
        var repeat = ofThisNotice.FirstOrDefault(o => o.IsUndecided && SameContact(o.Contact, contact!) && SameText(o.Grounds, grounds!));
        if (repeat is not null)
        {
            return repeat;
        }

        // Never refused for being one too many (strangers could otherwise fill the notice and shut out a creditor): beyond the
        // objections the registrar has under review at once, an objection is queued and moves up as the ones ahead are decided.
        var queued = notice.ObjectionsQueued > 0 || notice.ObjectionsUnderReview >= options.MaxObjections;
        var objection = new Objection(ResourceIds.New(ObjectionIdPrefix), name!, contact!, grounds!, now, queued ? ObjectionStatus.Queued : ObjectionStatus.UnderReview, null);
        var updatedNotice = queued
            ? notice with { Objections = notice.Objections + 1, ObjectionsQueued = notice.ObjectionsQueued + 1 }
            : notice with { Objections = notice.Objections + 1, ObjectionsUnderReview = notice.ObjectionsUnderReview + 1 };
        var updated = licence with { StatusDetail = licence.StatusDetail with { Notice = updatedNotice } };
        await committer.CommitAsync(
            new PlannedChange(Actor.PublicObjector, licence, updated, "deregistration-objection-lodged", "An objection was lodged; the registrar is reviewing it.") { Objections = [objection] },
            cancellationToken);
        return objection;
    }

    /// <summary>The objections to a licence's notices, with the objectors' names and contacts: for the registrar only.</summary>
    public async Task<IReadOnlyList<Objection>> GetObjectionsAsync(Caller registrar, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        if (registrar.Role != Role.Registrar)
        {
            throw ProblemException.Forbidden("Only the registrar sees objections and who made them.");
        }

        var creditCode = codeExceptions.ParseField(code);
        var licence = await licences.GetCurrentAsync(creditCode, cancellationToken);
        return Effective(licence, await licences.GetObjectionsAsync(creditCode, cancellationToken));
    }

    /// <summary>
    /// The objections as they stand, oldest first. A queued objection is not rewritten when its notice ends (a sustained
    /// objection or a revocation closes the ones under review in its one transaction, which has no room for a long queue):
    /// it reads as closed once the licence is no longer in the notice it was received under.
    /// </summary>
    private static List<Objection> Effective(Licence licence, IReadOnlyList<Objection> objections)
    {
        var notice = licence.Status == LicenceStatus.InDeregistrationNotice ? licence.StatusDetail.Notice : null;
        return [.. objections
            .Select(o => o.Status == ObjectionStatus.Queued && (notice is null || o.LodgedAt < notice.StartsAt) ? o with { Status = ObjectionStatus.Closed } : o)
            .OrderBy(o => o.LodgedAt)];
    }

    private static List<Objection> OfNotice(IReadOnlyList<Objection> objections, DeregistrationNotice notice) =>
        [.. objections.Where(o => o.LodgedAt >= notice.StartsAt).OrderBy(o => o.LodgedAt)];

    /// <summary>Contacts compared as the registrar would dial or write: a telephone number by its digits, an e-mail address without case.</summary>
    private static bool SameContact(string a, string b) => string.Equals(NormalisedContact(a), NormalisedContact(b), StringComparison.Ordinal);

    private static string NormalisedContact(string contact) =>
        contact.Contains('@', StringComparison.Ordinal) ? contact.ToUpperInvariant() : new string([.. contact.Where(char.IsAsciiDigit)]);

    private static bool SameText(string a, string b) =>
        string.Equals(string.Join(' ', a.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)), string.Join(' ', b.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);

    /// <summary>
    /// The registrar decides an objection under review. Sustained: simplified deregistration ends and the licence is active
    /// (other objections to the notice are closed). Dismissed: the notice goes on; if it has already ended and nothing else is
    /// under review, the timer finalises it within one working day of this decision.
    /// </summary>
    public async Task<Licence> DecideObjectionAsync(Caller registrar, string code, string objectionId, ObjectionDecisionRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<FieldError>();
        if (request.Outcome is null)
        {
            errors.Add(new FieldError("outcome", RequestText.OneOf<ObjectionOutcome>()));
        }

        var reason = FreeText.Check(errors, "reason", request.Reason, TextKind.MultiLine, RequestText.ReasonLength);
        if (errors.Count > 0)
        {
            throw ProblemException.Invalid(errors);
        }

        var licence = await committer.LoadAsync(code, ifMatch, LicenceAction.DecideObjection, cancellationToken);
        var objections = ResourceIds.IsWellFormed(objectionId, ObjectionIdPrefix) ? Effective(licence, await licences.GetObjectionsAsync(licence.Code, cancellationToken)) : [];
        var objection = objections.FirstOrDefault(o => o.Id == objectionId) ?? throw ProblemException.NotFound($"Licence {licence.Code} has no objection '{objectionId}'.");
        if (!objection.IsUndecided)
        {
            throw new ProblemException(ProblemType.InvalidTransition, $"Objection {objectionId} was already decided: {LicenceLifecycle.Kebab(objection.Status)}.",
                extensions: new Dictionary<string, object?> { ["currentStatus"] = LicenceLifecycle.Kebab(objection.Status), ["allowedActions"] = Array.Empty<string>() });
        }

        var now = committer.Time.GetUtcNow();
        var notice = licence.StatusDetail.Notice ?? throw new InvalidOperationException($"Licence {licence.Code} is in a notice without notice dates.");
        var decided = objection with { Decision = new ObjectionDecision(request.Outcome!.Value, reason!, registrar.Id, now) };
        if (request.Outcome == ObjectionOutcome.Sustained)
        {
            var closed = objections.Where(o => o.Status == ObjectionStatus.UnderReview && o.Id != objectionId).Select(o => o with { Status = ObjectionStatus.Closed });
            var active = licence with { Status = LicenceStatus.Active, StatusDetail = new StatusDetail(now, "deregistration-objection-sustained", reason, null, null) };
            return await committer.CommitAsync(
                new PlannedChange(Actor.Of(registrar), licence, active, "deregistration-objection-sustained", reason) { Objections = [decided with { Status = ObjectionStatus.Sustained }, .. closed] },
                cancellationToken);
        }

        // The oldest queued objection of this notice takes the dismissed one's place under review, in the same commit.
        var next = objection.Status == ObjectionStatus.UnderReview
            ? OfNotice(objections, notice).FirstOrDefault(o => o.Status == ObjectionStatus.Queued)
            : null;
        var decidedQueued = objection.Status == ObjectionStatus.Queued ? 1 : 0;
        var underReview = Math.Max(0, notice.ObjectionsUnderReview - (1 - decidedQueued) + (next is null ? 0 : 1));
        var queued = Math.Max(0, notice.ObjectionsQueued - decidedQueued - (next is null ? 0 : 1));
        // Past the notice's end, the one-working-day decision runs from this dismissal.
        var dueBy = underReview + queued == 0 && now >= notice.EndsAt
            ? Max(notice.DecisionDueBy, options.Calendar().NextWorkingDayAfter(ChinaTime.DateOf(now)))
            : notice.DecisionDueBy;
        var updated = licence with { StatusDetail = licence.StatusDetail with { Notice = notice with { ObjectionsUnderReview = underReview, ObjectionsQueued = queued, DecisionDueBy = dueBy } } };
        Objection[] written = next is null
            ? [decided with { Status = ObjectionStatus.Dismissed }]
            : [decided with { Status = ObjectionStatus.Dismissed }, next with { Status = ObjectionStatus.UnderReview }];
        return await committer.CommitAsync(
            new PlannedChange(Actor.Of(registrar), licence, updated, "deregistration-objection-dismissed", reason) { Objections = written },
            cancellationToken);
    }

    /// <summary>Timer: deregisters every licence whose notice has ended with no objection under review. Runs often, so each is decided well within a working day.</summary>
    public async Task<int> FinaliseDueAsync(CancellationToken cancellationToken)
    {
        var now = committer.Time.GetUtcNow();
        var finalised = 0;
        await foreach (var licence in licences.FindByStatusAsync(LicenceStatus.InDeregistrationNotice, cancellationToken))
        {
            if (licence.StatusDetail.Notice is not { } notice || !notice.IsDue(now))
            {
                continue;
            }

            var reason = notice.Objections == 0 ? "No objection during the notice." : "The notice ended and every objection was dismissed.";
            var updated = licence with
            {
                Status = LicenceStatus.Deregistered,
                StatusDetail = new StatusDetail(now, "simplified-deregistration", "Deregistered after a public notice. " + reason, ChinaTime.DateOf(now), notice),
            };
            if (await committer.TryCommitAsync(new PlannedChange(Actor.DeregistrationTimer, licence, updated, "deregistered", reason), cancellationToken) is not null)
            {
                finalised++;
            }
        }

        return finalised;
    }

    /// <summary>The notices still running, for anyone to see (no objector is ever named here).</summary>
    public async Task<IReadOnlyList<Licence>> OpenNoticesAsync(CancellationToken cancellationToken)
    {
        var now = committer.Time.GetUtcNow();
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

    private const string ObjectionIdPrefix = "obj_";

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    [GeneratedRegex(@"^\+?[0-9][0-9 ()\-]{3,28}[0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneNumber();

    [GeneratedRegex(@"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s.]{2,}$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailAddress();
}
