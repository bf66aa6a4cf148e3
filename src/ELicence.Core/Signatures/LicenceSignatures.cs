using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ELicence.Core.Callers;
using ELicence.Core.Credentials;
using ELicence.Core.Keys;
using ELicence.Core.Licences;
using ELicence.Core.Receipts;
using ELicence.Core.Text;
using ELicence.Core.Usage;
using ELicence.Core.Verification;
using ELicence.Jose;

namespace ELicence.Core.Signatures;

/// <summary>What a holder key sends to sign a document: its SHA-256 (hex or base64url), its name, and why.</summary>
public sealed record SignatureRequest(string? DocumentSha256, string? DocumentName, string? Purpose);

/// <summary>What a verifier sends to check a signature: the detached JWS and the document's SHA-256.</summary>
public sealed record SignatureVerificationRequest(string? Signature, string? DocumentSha256, string? Purpose);

/// <summary>Who signed: the person acting with the holder key, the key and its kind.</summary>
public sealed record SignatureSigner(string Name, string KeyId, HolderKind Kind);

/// <summary>
/// What the service attests, in the signature's protected header: this licence, at this version and status, by this
/// person, signed the document whose SHA-256 is the (detached) payload, at this time, for this purpose.
/// </summary>
public sealed record SignatureAttestation(
    [property: JsonPropertyName("iss")] string Issuer,
    [property: JsonPropertyName("jti")] string Id,
    [property: JsonPropertyName("iat")] long SignedAtUnix,
    [property: JsonPropertyName("sub")] string CreditCode,
    int LicenceVersion,
    LicenceStatus LicenceStatus,
    SignatureSigner Signer,
    string DocumentName,
    string Purpose);

/// <summary>A new signature: the detached compact JWS (RFC 7515 Appendix F) and what it attests.</summary>
public sealed record IssuedSignature(string Signature, string DocumentSha256, SignatureAttestation Attestation);

/// <summary>The answer to a signature check: whether it verifies for the digest, what it attested, the licence now, and the receipt.</summary>
public sealed record SignatureCheck(bool Valid, IReadOnlyList<VerificationReason> Reasons, SignatureAttestation? Attested, LicenceSummary? LicenceNow, string ReceiptId, string Receipt);

/// <summary>
/// Signing with the licence: a JWS by the service's key whose payload is the document's 32-byte SHA-256 digest, sent detached
/// (<c>header..signature</c>), so any JOSE library verifies it with the JWKS and the digest of the document in hand.
/// </summary>
public static class LicenceSignature
{
    public const string JwsType = "licence-signature+jws";
    private const string IdPrefix = "sig_";

    public static string NewId() => ResourceIds.New(IdPrefix);

    /// <summary>A SHA-256 digest as 64 hex characters or 43 base64url characters; anything else adds an error naming <c>documentSha256</c>.</summary>
    public static byte[]? ParseDigest(List<FieldError> errors, string? value)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (value is { Length: 64 } && value.All(char.IsAsciiHexDigit))
        {
            return Convert.FromHexString(value);
        }

        if (value is { Length: 43 } && B64Url.TryDecode(value, out var decoded) && decoded.Length == SHA256.HashSizeInBytes)
        {
            return decoded;
        }

        errors.Add(new FieldError("documentSha256", "The document's SHA-256: 32 bytes as 64 hexadecimal characters or 43 unpadded base64url characters."));
        return null;
    }

    public static string Sign(SigningKey key, SignatureAttestation attestation, byte[] digest)
    {
        ArgumentNullException.ThrowIfNull(key);
        var header = new JsonObject { ["alg"] = SigningKey.EdDsa, ["kid"] = key.KeyId, ["typ"] = JwsType };
        foreach (var (name, value) in JsonSerializer.SerializeToNode(attestation, ElicenceJson.Options)!.AsObject())
        {
            header[name] = value?.DeepClone();
        }

        var encodedHeader = B64Url.Encode(Encoding.UTF8.GetBytes(header.ToJsonString()));
        var signature = key.Sign(Encoding.ASCII.GetBytes(encodedHeader + "." + B64Url.Encode(digest)));
        return encodedHeader + ".." + B64Url.Encode(signature);
    }
}

/// <summary>Signing a document's digest with the licence, for the owner, administrators and agents with the sign scope; recorded in the licence's history and usage.</summary>
public sealed class LicenceSigning(LicenceQueries licences, IKeyRingProvider keys, IUsageLog usage, ISignatureHistory history, IssuerOptions issuer, TimeProvider time)
{
    private const int MaxNameLength = 200;

    public async Task<IssuedSignature> SignAsync(Caller caller, string code, SignatureRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var licence = await licences.GetLicenceAsync(caller, code, cancellationToken);
        caller.EnsureHolderMay(licence.Code, HolderScope.Sign);
        var errors = new List<FieldError>();
        var digest = LicenceSignature.ParseDigest(errors, request.DocumentSha256);

        var documentName = FreeText.Check(errors, "documentName", request.DocumentName, TextKind.Name, MaxNameLength);
        var purpose = FreeText.Check(errors, "purpose", request.Purpose, TextKind.Name, MaxNameLength);
        if (errors.Count > 0)
        {
            throw ProblemException.Invalid(errors);
        }

        return await SignDigestAsync(caller, licence, digest!, documentName!, purpose!, cancellationToken);
    }

    /// <summary>
    /// Signs <paramref name="digest"/> with the licence for a holder whose right to do so the caller has checked (the
    /// <c>sign</c> scope, or another that implies signing, such as <c>report</c>): recorded in the signature history and usage.
    /// </summary>
    public async Task<IssuedSignature> SignDigestAsync(Caller caller, Licence licence, byte[] digest, string documentName, string purpose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(licence);
        ArgumentNullException.ThrowIfNull(digest);
        var now = time.GetUtcNow();
        var grant = caller.Grant ?? HolderGrant.Owner(caller.Id);
        var attestation = new SignatureAttestation(
            issuer.Id,
            LicenceSignature.NewId(),
            now.ToUnixTimeSeconds(),
            licence.Code.Value,
            licence.Version,
            licence.EffectiveStatus(ChinaTime.DateOf(now)),
            new SignatureSigner(caller.Name, grant.KeyId, grant.Kind),
            documentName,
            purpose);
        var ring = await keys.GetAsync(cancellationToken);
        var jws = LicenceSignature.Sign(ring.Signing, attestation, digest);
        var digestHex = Convert.ToHexStringLower(digest);
        // Both records are written before the signature is handed out, each under the signature's id (a retried write leaves one).
        await history.AppendAsync(
            licence.Code,
            new SignatureEntry(attestation.Id, now, caller.Name, grant.KeyId, grant.Kind, documentName, digestHex, purpose, licence.Version, attestation.LicenceStatus),
            cancellationToken);
        var record = UsageRecord.By(caller, attestation.Id, UsageKind.Signature, now) with { Purpose = purpose, Document = documentName, SignatureId = attestation.Id };
        await usage.AppendAsync(licence.Code, record, cancellationToken);
        return new IssuedSignature(jws, digestHex, attestation);
    }

    /// <summary>The signatures made with the licence, oldest first: its usage, for the registrar and holder keys that may view usage.</summary>
    public async Task<IReadOnlyList<SignatureEntry>> GetSignaturesAsync(Caller caller, string code, CancellationToken cancellationToken)
    {
        var licence = await licences.GetLicenceAsync(caller, code, cancellationToken);
        caller.EnsureMayViewUsage(licence.Code);
        return await history.ListAsync(licence.Code, cancellationToken);
    }
}

/// <summary>A verifier's check of a licence signature against a document's digest: the signature, the status it attested and the status now, and a receipt.</summary>
public sealed class SignatureVerification(LicenceChecker checker, IReceiptStore receipts, IssuerOptions issuer)
{
    public async Task<SignatureCheck> VerifyAsync(Caller verifier, SignatureVerificationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<FieldError>();
        var digest = LicenceSignature.ParseDigest(errors, request.DocumentSha256);

        var parts = request.Signature?.Split('.');
        if (request.Signature is not { Length: > 0 and <= CompactJws.MaxLength } || parts is not [var encodedHeader, "", var encodedSignature])
        {
            errors.Add(new FieldError("signature", "A detached compact JWS: header..signature (RFC 7515 Appendix F)."));
            encodedHeader = encodedSignature = "";
        }

        var purpose = FreeText.Check(errors, "purpose", request.Purpose, TextKind.Name, 200, required: false);
        if (errors.Count > 0)
        {
            throw ProblemException.Invalid(errors);
        }

        var moment = await checker.BeginAsync(cancellationToken);
        var signingInput = encodedHeader + "." + B64Url.Encode(digest!);
        var (attestation, kid, failure) = Check(encodedHeader, encodedSignature, signingInput, moment.Ring);
        var reasons = new List<VerificationReason>();
        LicenceSummary? now = null;
        if (failure is not null)
        {
            reasons.Add(failure);
        }
        else
        {
            var status = await checker.CheckAsync(new VerificationInput(null, attestation!.CreditCode), moment, cancellationToken);
            now = status.Licence;
            reasons.Add(new(ReasonCodes.Verified, "The signature was made by this service for this document's digest."));
            reasons.AddRange(status.Reasons.Where(r => r.Code != ReasonCodes.Verified));
        }

        var receipt = new Receipt(
            issuer.Id,
            Receipt.NewId(),
            moment.Now.ToUnixTimeSeconds(),
            attestation?.CreditCode,
            moment.Now,
            ReceiptVerifier.Of(verifier),
            purpose,
            new ReceiptTarget("signature", attestation?.CreditCode, attestation?.Id, attestation?.LicenceVersion, kid, Convert.ToHexStringLower(digest!)),
            failure is null,
            reasons,
            now);
        var signed = receipt.Sign(moment.Ring.Signing);
        await receipts.SaveAsync(new StoredReceipt(receipt.Id, verifier.Id, signed, receipt), cancellationToken);
        return new SignatureCheck(failure is null, reasons, attestation, now, receipt.Id, signed);
    }

    private (SignatureAttestation? Attestation, string? KeyId, VerificationReason? Failure) Check(string encodedHeader, string encodedSignature, string signingInput, KeyRing ring)
    {
        if (!CompactJws.TryParse(signingInput + "." + encodedSignature, out var parsed, out var error))
        {
            return (null, null, new(ReasonCodes.BadSignature, error));
        }

        if (parsed.Algorithm != SigningKey.EdDsa || parsed.KeyId is not { } kid)
        {
            return (null, parsed.KeyId, new(ReasonCodes.UnsupportedAlgorithm, $"Signatures of this service are EdDSA with a kid; got '{parsed.Algorithm}'."));
        }

        if (ring.StateOf(kid) == KeyState.Compromised)
        {
            return (null, kid, new(ReasonCodes.KeyCompromised, $"Key '{kid}' was withdrawn as compromised; nothing it signed is trusted."));
        }

        if (ring.FindTrusted(kid) is not { Algorithm: KeyAlgorithm.Ed25519 } key)
        {
            return (null, kid, new(ReasonCodes.UnknownKey, $"Key '{kid}' is not one of this service's keys."));
        }

        if (!Ed25519.Verify(key.PublicKey, parsed.SigningInput, parsed.Signature))
        {
            return (null, kid, new(ReasonCodes.BadSignature, "The signature does not match this document's digest: the document differs or the signature was altered."));
        }

        var attestation = B64Url.TryDecode(encodedHeader, out var header) ? ReadAttestation(header) : null;
        return attestation is null || parsed.Type != LicenceSignature.JwsType || attestation.Issuer != issuer.Id
            ? (null, kid, new(ReasonCodes.NotALicenceCredential, "The token is signed by this service but is not a licence signature."))
            : (attestation, kid, null);
    }

    /// <summary>The attestation of a header this service signed; null when the header is not one (a signed token of another kind).</summary>
    private static SignatureAttestation? ReadAttestation(byte[] header)
    {
        try
        {
            return ElicenceJson.Deserialize<SignatureAttestation>(header);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
