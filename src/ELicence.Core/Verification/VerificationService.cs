using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ELicence.Core.Callers;
using ELicence.Core.Credentials;
using ELicence.Core.CreditCodes;
using ELicence.Core.Keys;
using ELicence.Core.Licences;
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

public sealed partial class VerificationService(
    ILicenceStore licences,
    ICredentialStore credentials,
    IReceiptStore receipts,
    IKeyRingProvider keys,
    IssuerOptions issuer,
    ICreditCodeExceptions codeExceptions,
    TimeProvider time)
{
    public async Task<VerificationResult> VerifyAsync(Caller verifier, VerificationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(request);
        var purpose = ValidatePurpose(request.Purpose);
        // One instant for the whole verification: the status, the permits, the summary and the receipt all speak of the same moment.
        var now = time.GetUtcNow();
        var today = ChinaTime.DateOf(now);
        var ring = await keys.GetAsync(cancellationToken);

        var (target, found, reasons) = request switch
        {
            { Credential: not null, CreditCode: not null } => throw ProblemException.Invalid("credential", "Send either a credential or a creditCode, not both."),
            { Credential: { } jws } => await CheckCredentialAsync(jws, ring, today, cancellationToken),
            { CreditCode: { } code } => await CheckCodeAsync(code, today, cancellationToken),
            _ => throw ProblemException.Invalid("credential", "Send a credential (compact JWS) or a creditCode."),
        };

        var valid = !reasons.Any(r => ReasonCodes.IsBlocking(r.Code));
        if (valid)
        {
            reasons.Insert(0, new VerificationReason(ReasonCodes.Verified, "The licence is genuine, current and in force."));
        }

        var summary = found?.Licence.Summarize(today);
        var permits = found is null ? [] : found.Permits
            .Select(p => new PermitSummary(p.Id, p.PermitType, p.Number, p.IssuingDepartment, p.ReformMode, p.ValidFrom, p.ValidTo, p.Status, p.HasExpiredBy(today), p.IsInForce(today)))
            .ToList();
        var receipt = new Receipt(
            issuer.Id,
            Receipt.NewId(),
            now.ToUnixTimeSeconds(),
            found?.Licence.Code.Value,
            now,
            new ReceiptVerifier(verifier.Id, verifier.Name),
            purpose,
            target,
            valid,
            reasons,
            summary);
        var signed = receipt.Sign(ring.Signing);
        await receipts.SaveAsync(new StoredReceipt(receipt.Id, verifier.Id, signed, receipt), cancellationToken);
        return new VerificationResult(valid, reasons, summary, permits, receipt.Id, signed);
    }

    /// <summary>
    /// The same checks of a credential for anyone (the public page): no caller, no purpose and no receipt, because an
    /// anonymous check is not a verifier's audit evidence. Throws a validation problem when the text is not a compact JWS.
    /// </summary>
    public async Task<AnonymousCheckResult> CheckWithoutReceiptAsync(string credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var today = ChinaTime.DateOf(time.GetUtcNow());
        var ring = await keys.GetAsync(cancellationToken);
        var (_, found, reasons) = await CheckCredentialAsync(credential, ring, today, cancellationToken);
        var valid = !reasons.Any(r => ReasonCodes.IsBlocking(r.Code));
        if (valid)
        {
            reasons.Insert(0, new VerificationReason(ReasonCodes.Verified, "The licence is genuine, current and in force."));
        }

        return new AnonymousCheckResult(valid, reasons, found?.Licence.Summarize(today));
    }

    private async Task<(ReceiptTarget, LicenceWithPermits?, List<VerificationReason>)> CheckCredentialAsync(string jws, KeyRing ring, DateOnly today, CancellationToken cancellationToken)
    {
        jws = jws.Trim();
        if (!CompactJws.TryParse(jws, out var parsed, out var error))
        {
            throw ProblemException.Invalid("credential", "Not a compact JWS: " + error);
        }

        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(jws)));
        var kid = Shown(parsed.KeyId);
        var target = new ReceiptTarget("credential", null, null, null, kid, digest);
        var reasons = new List<VerificationReason>();
        if (parsed.Algorithm != SigningKey.Algorithm)
        {
            reasons.Add(new(ReasonCodes.UnsupportedAlgorithm, $"Credentials are signed with EdDSA; this one says '{Shown(parsed.Algorithm)}'."));
            return (target, null, reasons);
        }

        var key = parsed.KeyId is null ? null : ring.FindTrusted(parsed.KeyId);
        if (key is null)
        {
            reasons.Add(parsed.KeyId is not null && ring.StateOf(parsed.KeyId) == KeyState.Compromised
                ? new(ReasonCodes.KeyCompromised, $"Key '{kid}' was withdrawn as compromised; nothing it signed is trusted.")
                : new(ReasonCodes.UnknownKey, $"Key '{kid}' is not one of this service's keys (see /.well-known/jwks.json)."));
            return (target, null, reasons);
        }

        if (!Ed25519.Verify(key.PublicKey, parsed.SigningInput, parsed.Signature))
        {
            reasons.Add(new(ReasonCodes.BadSignature, "The signature does not match the credential: it was altered or not signed by this service."));
            return (target, null, reasons);
        }

        var payload = LicenceCredential.TryReadPayload(parsed.Payload);
        if (payload is null || parsed.Type != LicenceCredential.JwsType)
        {
            reasons.Add(new(ReasonCodes.NotALicenceCredential, "The token is signed by this service but is not a business licence credential."));
            return (target, null, reasons);
        }

        var subject = payload.CredentialSubject;
        target = target with { CreditCode = subject.CreditCode, CredentialId = payload.Id, LicenceVersion = subject.LicenceVersion };
        if (payload.Issuer.Id != issuer.Id)
        {
            reasons.Add(new(ReasonCodes.WrongIssuer, $"The credential names issuer '{payload.Issuer.Id}', not '{issuer.Id}'."));
            return (target, null, reasons);
        }

        var code = CreditCode.Validate(subject.CreditCode, codeExceptions).Code;
        var found = code is null ? null : await licences.FindCurrentWithPermitsAsync(code.Value, cancellationToken);
        if (found is null)
        {
            reasons.Add(new(ReasonCodes.LicenceNotFound, $"The register has no licence {subject.CreditCode}."));
            return (target, null, reasons);
        }

        // The credential must be the one the register issued for that version, byte for byte.
        var licence = found.Licence;
        var issued = await credentials.FindAsync(licence.Code, subject.LicenceVersion, cancellationToken);
        if (issued is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(issued), Encoding.ASCII.GetBytes(jws)))
        {
            reasons.Add(new(ReasonCodes.CredentialNotIssued, "The register holds no such credential for this licence."));
            return (target, found, reasons);
        }

        if (subject.LicenceVersion < licence.Version)
        {
            reasons.Add(new(ReasonCodes.Superseded, $"The credential is genuine but shows version {subject.LicenceVersion}; the licence was amended and version {licence.Version} is current. Ask the holder for the current credential."));
        }

        reasons.AddRange(StatusReasons.For(licence, today));
        return (target, found, reasons);
    }

    private async Task<(ReceiptTarget, LicenceWithPermits?, List<VerificationReason>)> CheckCodeAsync(string input, DateOnly today, CancellationToken cancellationToken)
    {
        var code = codeExceptions.ParseField(input, "creditCode");
        var found = await licences.FindCurrentWithPermitsAsync(code, cancellationToken)
            ?? throw ProblemException.NotFound($"The register has no licence {code}.");
        var reasons = new List<VerificationReason>();
        reasons.AddRange(StatusReasons.For(found.Licence, today));
        return (new ReceiptTarget("credit-code", found.Licence.Code.Value, null, found.Licence.Version, null, null), found, reasons);
    }

    /// <summary>What a token said, as far as it is repeated in a reason or a receipt: at most 100 characters.</summary>
    private static string? Shown(string? presented) => presented is { Length: > 100 } ? presented[..100] + "…" : presented;

    private static string? ValidatePurpose(string? purpose)
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
