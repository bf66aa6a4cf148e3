using System.Text.RegularExpressions;
using ELicence.Core.Callers;
using ELicence.Core.Credentials;
using ELicence.Core.Licences;
using ELicence.Core.Operations;
using ELicence.Core.Receipts;

namespace ELicence.Core.Verification;

/// <summary>What a verifier asks: a credential (compact JWS) or a credit code, and why.</summary>
public sealed record VerificationRequest(string? Credential, string? CreditCode, string? Purpose);

/// <summary>An operating permit as a verifier sees it, with whether it is in force today.</summary>
public sealed record PermitSummary(string Id, string PermitType, string Number, string IssuingDepartment, ReformMode ReformMode, DateOnly ValidFrom, DateOnly? ValidTo, PermitStatus Status, bool Expired, bool InForce);

/// <summary>The answer, and the signed receipt that records it.</summary>
public sealed record VerificationResult(bool Valid, IReadOnlyList<VerificationReason> Reasons, LicenceSummary? Licence, IReadOnlyList<PermitSummary> Permits, string ReceiptId, string Receipt);

/// <summary>The answer to an anonymous check: no receipt.</summary>
public sealed record AnonymousCheckResult(bool Valid, IReadOnlyList<VerificationReason> Reasons, LicenceSummary? Licence);

/// <summary>One verification: the shared <see cref="LicenceChecker"/> check, then a signed receipt, written once.</summary>
public sealed partial class VerificationService(LicenceChecker checker, IReceiptStore receipts, IssuerOptions issuer)
{
    public async Task<VerificationResult> VerifyAsync(Caller verifier, VerificationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(request);
        var purpose = ValidatePurpose(request.Purpose);
        using var activity = ElicenceTelemetry.Source.StartActivity(ElicenceTelemetry.VerifySpan);
        var moment = await checker.BeginAsync(cancellationToken);
        var check = await checker.CheckAsync(new VerificationInput(request.Credential, request.CreditCode), moment, cancellationToken);
        var outcome = check.Valid ? "valid" : "invalid";
        activity?.SetTag("elicence.verification.outcome", outcome);
        activity?.SetTag("elicence.verifier.id", verifier.Id);

        var receipt = new Receipt(
            issuer.Id,
            Receipt.NewId(),
            moment.Now.ToUnixTimeSeconds(),
            check.Licence?.CreditCode,
            moment.Now,
            ReceiptVerifier.Of(verifier),
            purpose,
            check.Target,
            check.Valid,
            check.Reasons,
            check.Licence);
        var signed = receipt.Sign(moment.Ring.Signing);
        await receipts.SaveAsync(new StoredReceipt(receipt.Id, verifier.Id, signed, receipt), cancellationToken);
        activity?.SetTag("elicence.receipt.id", receipt.Id);
        ElicenceTelemetry.CountVerification(outcome, "single");
        return new VerificationResult(check.Valid, check.Reasons, check.Licence, check.Permits, receipt.Id, signed);
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
