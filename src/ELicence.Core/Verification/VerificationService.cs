using System.Text.RegularExpressions;
using ELicence.Core.Callers;
using ELicence.Core.Credentials;
using ELicence.Core.Licences;
using ELicence.Core.Operations;
using ELicence.Core.Receipts;

namespace ELicence.Core.Verification;

/// <summary>What a verifier asks: a credential (compact JWS), an SD-JWT VC presentation (with the nonce it gave the holder, if any) or a credit code, and why.</summary>
public sealed record VerificationRequest(string? Credential, string? CreditCode, string? Purpose, string? Presentation = null, string? Nonce = null);

/// <summary>An operating permit as a verifier sees it, with whether it is in force today.</summary>
public sealed record PermitSummary(string Id, string PermitType, string Number, string IssuingDepartment, ReformMode ReformMode, DateOnly ValidFrom, DateOnly? ValidTo, PermitStatus Status, bool Expired, bool InForce);

/// <summary>The answer, and the signed receipt that records it.</summary>
public sealed record VerificationResult(bool Valid, IReadOnlyList<VerificationReason> Reasons, LicenceSummary? Licence, IReadOnlyList<PermitSummary> Permits, string ReceiptId, string Receipt, Presentations.Presentation? Presented = null);

/// <summary>The answer to an anonymous check: no receipt.</summary>
public sealed record AnonymousCheckResult(bool Valid, IReadOnlyList<VerificationReason> Reasons, LicenceSummary? Licence);

/// <summary>One verification: the shared <see cref="LicenceChecker"/> check, then a signed receipt, written once.</summary>
public sealed partial class VerificationService(LicenceChecker checker, Presentations.PresentationChecker presentations, IReceiptStore receipts, IssuerOptions issuer)
{
    public async Task<VerificationResult> VerifyAsync(Caller verifier, VerificationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(request);
        var purpose = ValidatePurpose(request.Purpose);
        using var activity = ElicenceTelemetry.Source.StartActivity(ElicenceTelemetry.VerifySpan);
        var moment = await checker.BeginAsync(cancellationToken);
        if (request.Presentation is null && request.Nonce is not null)
        {
            throw ProblemException.Invalid("nonce", "A nonce goes with a presentation only.");
        }

        var check = request.Presentation is null
            ? await checker.CheckAsync(new VerificationInput(request.Credential, request.CreditCode), moment, cancellationToken)
            : await CheckPresentationAsync(verifier, request, moment, cancellationToken);
        var outcome = check.Valid ? "valid" : "invalid";
        activity?.SetTag("elicence.verification.outcome", outcome);
        activity?.SetTag("elicence.verifier.id", verifier.Id);

        var receipt = new Receipt(
            issuer.Id,
            Receipt.NewId(),
            moment.Now.ToUnixTimeSeconds(),
            // A presentation always discloses the credit code: its receipt names the licence too, so the check is in the licence's usage.
            check.Licence?.CreditCode ?? check.Presented?.Licence.CreditCode,
            moment.Now,
            ReceiptVerifier.Of(verifier),
            purpose,
            check.Target,
            check.Valid,
            check.Reasons,
            check.Licence,
            check.Presented?.Licence);
        var signed = receipt.Sign(moment.Ring.Signing);
        await receipts.SaveAsync(new StoredReceipt(receipt.Id, verifier.Id, signed, receipt), cancellationToken);
        activity?.SetTag("elicence.receipt.id", receipt.Id);
        ElicenceTelemetry.CountVerification(outcome, request.Presentation is null ? "single" : "presentation");
        return new VerificationResult(check.Valid, check.Reasons, check.Licence, check.Permits, receipt.Id, signed, check.Presented);
    }

    private Task<LicenceCheck> CheckPresentationAsync(Caller verifier, VerificationRequest request, CheckMoment moment, CancellationToken cancellationToken) =>
        CheckPresentationAsync(presentations, verifier, request, moment, cancellationToken);

    /// <summary>A presentation alone (no credential or code beside it), with a well-formed nonce if any, for this verifier; shared with batches.</summary>
    internal static Task<LicenceCheck> CheckPresentationAsync(Presentations.PresentationChecker presentations, Caller verifier, VerificationRequest request, CheckMoment moment, CancellationToken cancellationToken)
    {
        if (request.Credential is not null || request.CreditCode is not null)
        {
            throw ProblemException.Invalid("presentation", "Send one of credential, presentation or creditCode.");
        }

        if (request.Nonce is { } nonce && (nonce.Length is 0 or > 200 || nonce.Any(char.IsControl)))
        {
            throw ProblemException.Invalid("nonce", "The nonce the holder was given: 1 to 200 characters, no control characters.");
        }

        return presentations.CheckAsync(request.Presentation!, request.Nonce, verifier.Id, moment, cancellationToken);
    }

    /// <summary>
    /// The same checks of a credential for anyone (the public page): no caller, no purpose and no receipt, because an
    /// anonymous check is not a verifier's audit evidence. Throws a validation problem when the text is not a compact JWS.
    /// </summary>
    public async Task<AnonymousCheckResult> CheckWithoutReceiptAsync(string credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var check = await checker.CheckAsync(new VerificationInput(credential, null), await checker.BeginAsync(cancellationToken), cancellationToken);
        return new AnonymousCheckResult(check.Valid, check.Reasons, check.Licence);
    }

    /// <summary>The purpose a verifier states: a lower-case word with hyphens, optionally ':' and a reference; null when none is given.</summary>
    internal static string? ValidatePurpose(string? purpose)
    {
        if (purpose is null)
        {
            return null;
        }

        return PurposePattern().IsMatch(purpose)
            ? purpose
            : throw ProblemException.Invalid("purpose", "A lower-case word with hyphens, optionally ':' and a reference: e.g. account-opening or tender:2026-0042 (at most 100 characters).");
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,39}(:[A-Za-z0-9._/-]{1,59})?$", RegexOptions.CultureInvariant)]
    private static partial Regex PurposePattern();
}
