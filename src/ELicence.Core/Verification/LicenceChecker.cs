using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using ELicence.Core.Credentials;
using ELicence.Core.CreditCodes;
using ELicence.Core.Keys;
using ELicence.Core.Licences;
using ELicence.Core.Problems;
using ELicence.Core.Receipts;
using ELicence.Jose;

namespace ELicence.Core.Verification;

/// <summary>One thing to check: a credential (compact JWS, or its JWS JSON serialization with the SM2 signature) or a credit code.</summary>
public sealed record VerificationInput(string? Credential, string? CreditCode);

/// <summary>What every check of one request shares: one instant (status, permits, summary and receipt speak of the same moment) and one key ring.</summary>
public sealed record CheckMoment(DateTimeOffset Now, DateOnly Today, KeyRing Ring)
{
    /// <summary>
    /// The register's answers already read by this request, by credit code, when its checks share them (a batch: a licence
    /// named by several items is read once, and every item sees the same state of it); null reads for each check.
    /// </summary>
    public System.Collections.Concurrent.ConcurrentDictionary<CreditCode, Task<LicenceWithPermits?>>? SharedReads { get; init; }
}

/// <summary>The outcome of checking one input: what was checked, whether it is valid and why, and the licence as the register holds it.</summary>
/// <remarks>A presentation leaves <see cref="Licence"/> empty: the verifier learns only what <see cref="Presented"/> shows.</remarks>
public sealed record LicenceCheck(ReceiptTarget Target, bool Valid, IReadOnlyList<VerificationReason> Reasons, LicenceSummary? Licence, IReadOnlyList<PermitSummary> Permits, Presentations.Presentation? Presented = null);

/// <summary>
/// The check of one credential or credit code against the register, shared by single and batch verification (which differ
/// only in the receipt they sign). Checks, in order: structure, alg, key, signature, type and issuer, the licence in the
/// register, that the token is byte for byte the one issued for that version, status.
/// </summary>
public sealed class LicenceChecker(
    ILicenceStore licences,
    ICredentialStore credentials,
    IKeyRingProvider keys,
    IssuerOptions issuer,
    ICreditCodeExceptions codeExceptions,
    TimeProvider time)
{
    public async Task<CheckMoment> BeginAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return new CheckMoment(now, ChinaTime.DateOf(now), await keys.GetAsync(cancellationToken));
    }

    /// <summary>Checks one input. Input that is not a credential or a credit code at all, or a code the register does not hold, is a <see cref="ProblemException"/>.</summary>
    public async Task<LicenceCheck> CheckAsync(VerificationInput input, CheckMoment moment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(moment);
        var (target, found, reasons) = input switch
        {
            { Credential: not null, CreditCode: not null } => throw ProblemException.Invalid("credential", "Send either a credential or a creditCode, not both."),
            { Credential: { } jws } => await CheckCredentialAsync(jws, moment, cancellationToken),
            { CreditCode: { } code } => await CheckCodeAsync(code, moment, cancellationToken),
            _ => throw ProblemException.Invalid("credential", "Send a credential (compact JWS or JWS JSON serialization) or a creditCode."),
        };

        var valid = Conclude(reasons);
        return new LicenceCheck(target, valid, reasons, found is null ? null : found.Licence.Summarize(moment.Today) with { AnnualReport = found.AnnualReport }, PermitsOf(found, moment.Today));
    }

    /// <summary>The SHA-256 (lower-case hex) a receipt records of a presented credential or code: of its UTF-8 bytes, surrounding whitespace removed.</summary>
    public static string Digest(string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        var text = presented.AsSpan().Trim();
        var utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(utf8.AsSpan(0, Encoding.UTF8.GetBytes(text, utf8)), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    /// <summary>
    /// <see cref="CheckSignature"/> for a credential in either form. The JWS JSON serialization (docs/design.md) has
    /// exactly two signatures over one payload: <c>signatures[0]</c> is the compact EdDSA credential and gets every check of
    /// it; <c>signatures[1]</c> must be an SM2-SM3 signature of a trusted SM2 key with the same typ. A failure names the
    /// signature it concerns. Returns the compact EdDSA credential as well, for the register's byte-for-byte comparison.
    /// </summary>
    /// <param name="findSm2Key">The verifier of an SM2 kid that is trusted, or null; and whether the kid is known as compromised.</param>
    public static (ReceiptTarget Target, LicenceCredentialPayload? Payload, VerificationReason? Failure, string Compact) CheckSignatures(
        string presented, Func<string, (byte[]? PublicKey, bool Compromised)> findKey, Func<string, (Sm2Verifier? Verifier, bool Compromised)> findSm2Key, string issuerId)
    {
        ArgumentNullException.ThrowIfNull(presented);
        ArgumentNullException.ThrowIfNull(findSm2Key);
        presented = presented.Trim();
        if (!presented.StartsWith('{'))
        {
            var (t, p, f) = CheckSignature(presented, findKey, issuerId);
            return (t, p, f, presented);
        }

        if (!JsonJws.TryParse(presented, out var compacts, out var error))
        {
            throw ProblemException.Invalid("credential", "Not a JWS JSON serialization: " + error);
        }

        if (compacts.Count != 2)
        {
            throw ProblemException.Invalid("credential", $"A JSON-serialized credential has two signatures, EdDSA then SM2-SM3; this one has {compacts.Count}.");
        }

        var (target, payload, failure) = CheckSignature(compacts[0], findKey, issuerId);
        target = target with { CredentialSha256 = Digest(presented) };
        if (payload is null)
        {
            return (target, null, failure! with { Message = "EdDSA signature (signatures[0]): " + failure.Message }, compacts[0]);
        }

        var sm2Failure = CheckSm2Signature(compacts[1], findSm2Key);
        return (target, sm2Failure is null ? payload : null, sm2Failure, compacts[0]);
    }

    /// <summary>
    /// The checks a credential gets from the keys alone, online and offline alike: structure (a <see cref="ProblemException"/>),
    /// alg, key (unknown or compromised), signature, credential type, issuer. A failure is the one blocking reason; otherwise the payload.
    /// </summary>
    /// <param name="findKey">The public key of a kid that is trusted, or null; and whether the kid is known as compromised.</param>
    public static (ReceiptTarget Target, LicenceCredentialPayload? Payload, VerificationReason? Failure) CheckSignature(
        string jws, Func<string, (byte[]? PublicKey, bool Compromised)> findKey, string issuerId)
    {
        ArgumentNullException.ThrowIfNull(jws);
        ArgumentNullException.ThrowIfNull(findKey);
        jws = jws.Trim();
        if (!CompactJws.TryParse(jws, out var parsed, out var error))
        {
            throw ProblemException.Invalid("credential", "Not a compact JWS: " + error);
        }

        var target = new ReceiptTarget("credential", null, null, null, Shown(parsed.KeyId), Digest(jws));
        if (SignatureFailure(parsed, findKey) is { } signatureFailure)
        {
            return (target, null, signatureFailure);
        }

        var payload = LicenceCredential.TryReadPayload(parsed.Payload);
        if (payload is null || parsed.Type != LicenceCredential.JwsType)
        {
            return (target, null, new(ReasonCodes.NotALicenceCredential, "The token is signed by this service but is not a business licence credential."));
        }

        var subject = payload.CredentialSubject;
        target = target with { CreditCode = subject.CreditCode, CredentialId = payload.Id, LicenceVersion = subject.LicenceVersion };
        return payload.Issuer.Id == issuerId
            ? (target, payload, null)
            : (target, null, new(ReasonCodes.WrongIssuer, $"The credential names issuer '{payload.Issuer.Id}', not '{issuerId}'."));
    }

    private static VerificationReason? CheckSm2Signature(string compact, Func<string, (Sm2Verifier? Verifier, bool Compromised)> findSm2Key)
    {
        const string Which = "SM2 signature (signatures[1]): ";
        if (!CompactJws.TryParse(compact, out var parsed, out var error))
        {
            throw ProblemException.Invalid("credential", Which + error);
        }

        if (parsed.Algorithm != Sm2Jose.Algorithm)
        {
            return new(ReasonCodes.UnsupportedAlgorithm, Which + $"the second signature is {Sm2Jose.Algorithm}; this one says '{Shown(parsed.Algorithm)}'.");
        }

        var kid = Shown(parsed.KeyId);
        var (verifier, compromised) = parsed.KeyId is null ? (null, false) : findSm2Key(parsed.KeyId);
        if (verifier is null)
        {
            return compromised
                ? new(ReasonCodes.KeyCompromised, Which + $"key '{kid}' was withdrawn as compromised; nothing it signed is trusted.")
                : new(ReasonCodes.UnknownKey, Which + $"key '{kid}' is not one of this service's SM2 keys (see /.well-known/jwks.json).");
        }

        if (!verifier.Verify(parsed.SigningInput, parsed.Signature))
        {
            return new(ReasonCodes.BadSignature, Which + "it does not match the credential: it was altered or not made by this service.");
        }

        return parsed.Type == LicenceCredential.JwsType
            ? null
            : new(ReasonCodes.NotALicenceCredential, Which + $"its typ is not {LicenceCredential.JwsType}.");
    }

    /// <summary>The issuer signature's check, shared by credentials and SD-JWT VCs: alg, key (unknown or compromised), signature; null when it holds.</summary>
    public static VerificationReason? SignatureFailure(ParsedJws parsed, Func<string, (byte[]? PublicKey, bool Compromised)> findKey)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(findKey);
        var kid = Shown(parsed.KeyId);
        if (parsed.Algorithm is not (SigningKey.EdDsa or Es256.Algorithm))
        {
            return new(ReasonCodes.UnsupportedAlgorithm, $"Credentials are signed with EdDSA or ES256; this one says '{Shown(parsed.Algorithm)}'.");
        }

        var (key, compromised) = parsed.KeyId is null ? (null, false) : findKey(parsed.KeyId);
        // The key's length says its algorithm (32 bytes Ed25519, 64 bytes P-256): a token naming one key with the other's alg fails.
        var expectedLength = parsed.Algorithm == Es256.Algorithm ? Es256.PublicKeyLength : Ed25519.PublicKeyLength;
        if (key is null || key.Length != expectedLength)
        {
            return compromised
                ? new(ReasonCodes.KeyCompromised, $"Key '{kid}' was withdrawn as compromised; nothing it signed is trusted.")
                : new(ReasonCodes.UnknownKey, $"Key '{kid}' is not one of this service's {parsed.Algorithm} keys (see /.well-known/jwks.json).");
        }

        var verified = parsed.Algorithm == Es256.Algorithm
            ? Es256.Verify(key, parsed.SigningInput, parsed.Signature)
            : parsed.VerifyEd25519(key);
        return verified
            ? null
            : new(ReasonCodes.BadSignature, "The signature does not match the credential: it was altered or not signed by this service.");
    }

    /// <summary>Whether no reason blocks; when so, "verified" goes first.</summary>
    public static bool Conclude(List<VerificationReason> reasons)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        var valid = !reasons.Any(r => ReasonCodes.IsBlocking(r.Code));
        if (valid)
        {
            reasons.Insert(0, new VerificationReason(ReasonCodes.Verified, "The licence is genuine, current and in force."));
        }

        return valid;
    }

    /// <summary>The licence's permits as a verifier sees them at this moment.</summary>
    public static IReadOnlyList<PermitSummary> PermitsOf(LicenceWithPermits? found, DateOnly today) => found is null ? [] : found.Permits
        .Select(p => new PermitSummary(p.Id, p.PermitType, p.Number, p.IssuingDepartment, p.ReformMode, p.ValidFrom, p.ValidTo, p.Status, p.HasExpiredBy(today), p.IsInForce(today)))
        .ToList();

    /// <summary>The credential's key and whether it is known as compromised, for <see cref="SignatureFailure"/>.</summary>
    public static Func<string, (byte[]? PublicKey, bool Compromised)> KeysOf(KeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        return kid => (ring.FindTrusted(kid) is { Algorithm: KeyAlgorithm.Ed25519 or KeyAlgorithm.Es256 } key ? key.PublicKey : null, ring.StateOf(kid) == KeyState.Compromised);
    }

    private async Task<(ReceiptTarget, LicenceWithPermits?, List<VerificationReason>)> CheckCredentialAsync(string presented, CheckMoment moment, CancellationToken cancellationToken)
    {
        var (ring, today) = (moment.Ring, moment.Today);
        var (target, payload, failure, jws) = CheckSignatures(
            presented,
            KeysOf(ring),
            kid => (ring.FindTrusted(kid)?.Sm2Verifier, ring.StateOf(kid) == KeyState.Compromised),
            issuer.Id);
        if (payload is null)
        {
            return (target, null, [failure!]);
        }

        var subject = payload.CredentialSubject;
        var reasons = new List<VerificationReason>();
        var code = CreditCode.Validate(subject.CreditCode, codeExceptions).Code;
        var found = code is null ? null : await FindAsync(code.Value, moment, cancellationToken);
        if (found is null)
        {
            reasons.Add(new(ReasonCodes.LicenceNotFound, $"The register has no licence {subject.CreditCode}."));
            return (target, null, reasons);
        }

        // The credential must be the one the register issued for that version, byte for byte.
        var licence = found.Licence;
        if (!IsCurrentIssued(licence, subject.LicenceVersion, jws) && !await IsStoredIssuedAsync(licence.Code, subject.LicenceVersion, jws, cancellationToken))
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

    /// <summary>
    /// Whether <paramref name="jws"/> is the current version's credential by the digest its row keeps (no blob read). The
    /// signature has been checked already, so only a token this service signed gets here; a mismatch (an older version,
    /// a row from before digests, a credential re-signed after a crash) is not a refusal: the stored blob decides.
    /// </summary>
    private static bool IsCurrentIssued(Licence licence, int version, string jws) =>
        version == licence.Version && licence.CredentialSha256 is { Length: 64 } kept
            && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(kept.AsSpan()), MemoryMarshal.AsBytes(Digest(jws).AsSpan()));

    private async Task<bool> IsStoredIssuedAsync(CreditCode code, int version, string jws, CancellationToken cancellationToken) =>
        await credentials.FindAsync(code, version, cancellationToken) is { } issued
            && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(issued.AsSpan()), MemoryMarshal.AsBytes(jws.AsSpan()));

    private async Task<(ReceiptTarget, LicenceWithPermits?, List<VerificationReason>)> CheckCodeAsync(string input, CheckMoment moment, CancellationToken cancellationToken)
    {
        var code = codeExceptions.ParseField(input, "creditCode");
        var found = await FindAsync(code, moment, cancellationToken)
            ?? throw ProblemException.LicenceNotFound(code.Value);
        var reasons = new List<VerificationReason>();
        reasons.AddRange(StatusReasons.For(found.Licence, moment.Today));
        return (new ReceiptTarget("credit-code", found.Licence.Code.Value, null, found.Licence.Version, null, null), found, reasons);
    }

    /// <summary>The licence and its permits: one partition query, or the request's shared read of it.</summary>
    private Task<LicenceWithPermits?> FindAsync(CreditCode code, CheckMoment moment, CancellationToken cancellationToken) =>
        moment.SharedReads is { } reads
            ? reads.GetOrAdd(code, c => licences.FindCurrentWithPermitsAsync(c, cancellationToken))
            : licences.FindCurrentWithPermitsAsync(code, cancellationToken);

    /// <summary>What a token said, as far as it is repeated in a reason or a receipt: at most 100 characters.</summary>
    private static string? Shown(string? presented) => presented is { Length: > 100 } ? presented[..100] + "…" : presented;
}
