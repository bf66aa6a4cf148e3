using System.Security.Cryptography;
using System.Text.Json;
using ELicence.Core.Credentials;
using ELicence.Core.CreditCodes;
using ELicence.Core.Keys;
using ELicence.Core.Licences;
using ELicence.Core.Receipts;
using ELicence.Core.StatusLists;
using ELicence.Core.Verification;
using ELicence.Jose;

namespace ELicence.Core.Presentations;

/// <summary>What a verifier learned from a presentation: the always-disclosed facts, the register's status now, and the names of the disclosed claims.</summary>
public sealed record PresentedLicence(string CreditCode, LocalizedText Name, EntityType EntityType, LocalizedText RegistrationAuthority, int Version, LicenceStatus Status, StatusDetail StatusDetail, IReadOnlyList<string> Disclosed);

/// <summary>A presentation's outcome: what a receipt may record (<see cref="Licence"/>), and the disclosed values, shown to the verifier only.</summary>
public sealed record Presentation(PresentedLicence Licence, IReadOnlyDictionary<string, JsonElement> Claims);

/// <summary>Each presentation is good for one verification: the hash of its key-binding JWT is added once.</summary>
public interface IPresentationUseStore
{
    /// <summary>Records the use; false when it was recorded before (a replay).</summary>
    Task<bool> TryRecordAsync(string keyBindingSha256, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>
/// The check of an SD-JWT VC presentation (RFC 9901 §7.1, §7.3): the issuer's signature and claims, every disclosure's digest
/// among the credential's, the key-binding JWT signed by the <c>cnf</c> key over exactly these disclosures (<c>sd_hash</c>), for
/// the calling verifier (<c>aud</c>), made within <see cref="MaxAge"/>, with the verifier's nonce; then the licence in the
/// register and its status, and last the single use.
/// </summary>
public sealed class PresentationChecker(ILicenceStore licences, IPresentationUseStore uses, IssuerOptions issuer, ICreditCodeExceptions codeExceptions, IWalletCopyStore? copies = null)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    /// <summary>How far ahead of the service's clock a holder's clock may be.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public async Task<LicenceCheck> CheckAsync(string presentation, string? nonce, string audience, CheckMoment moment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(presentation);
        ArgumentNullException.ThrowIfNull(moment);
        var examined = Examine(presentation.Trim(), new Expectations(audience, nonce, moment.Now, LicenceChecker.KeysOf(moment.Ring), issuer));
        var reasons = new List<VerificationReason>();
        if (examined.Failure is { } failure)
        {
            reasons.Add(failure);
            return new LicenceCheck(examined.Target, LicenceChecker.Conclude(reasons), reasons, null, []);
        }

        var claims = examined.Claims!;
        var code = CreditCode.Validate(claims.CreditCode, codeExceptions).Code;
        var found = code is null ? null : await licences.FindCurrentWithPermitsAsync(code.Value, cancellationToken);
        if (found is null)
        {
            reasons.Add(new(ReasonCodes.LicenceNotFound, $"The register has no licence {claims.CreditCode}."));
            return new LicenceCheck(examined.Target, LicenceChecker.Conclude(reasons), reasons, null, []);
        }

        var licence = found.Licence;
        if (claims.Version < licence.Version)
        {
            reasons.Add(new(ReasonCodes.Superseded, $"The presentation shows version {claims.Version}; the licence was amended and version {licence.Version} is current."));
        }

        reasons.AddRange(StatusReasons.For(licence, moment.Today));
        if (claims.StatusIndex is { } index && index != licence.StatusListIndex && claims.Version == licence.Version && await CopyWithdrawnAsync(code!.Value, index, moment.Now, cancellationToken))
        {
            reasons.Add(new(ReasonCodes.Revoked, "This wallet copy of the licence was withdrawn: the person it was issued to was removed or reset, or their key expired."));
        }

        if (!await uses.TryRecordAsync(examined.ReplayKey!, moment.Now, cancellationToken))
        {
            reasons.Insert(0, new(ReasonCodes.Replayed, "This presentation was verified before; each is good for one verification. Ask the holder for a new one."));
        }

        var d = licence.Details;
        var presented = new PresentedLicence(
            licence.Code.Value,
            new LocalizedText(d.Name, d.English?.Name),
            d.EntityType,
            new LocalizedText(d.RegistrationAuthority, d.English?.RegistrationAuthority),
            claims.Version,
            licence.EffectiveStatus(moment.Today),
            licence.EffectiveStatusDetail(moment.Today),
            [.. claims.Disclosed.Keys]);
        var permits = claims.Disclosed.ContainsKey(DisclosableFields.Permits) ? LicenceChecker.PermitsOf(found, moment.Today) : [];
        return new LicenceCheck(examined.Target, LicenceChecker.Conclude(reasons), reasons, null, permits, new Presentation(presented, claims.Disclosed));
    }

    /// <summary>What the verifier expects of a presentation.</summary>
    public sealed record Expectations(string Audience, string? Nonce, DateTimeOffset Now, Func<string, (byte[]? PublicKey, bool Compromised)> FindKey, IssuerOptions Issuer);

    /// <summary>The issuer-signed claims a presentation carried, the disclosed ones by name, and its Token Status List index (null for SD-JWT VCs issued before it).</summary>
    public sealed record PresentedClaims(string CreditCode, int Version, IReadOnlyDictionary<string, JsonElement> Disclosed, long? StatusIndex = null);

    /// <summary>A wallet copy (a status index other than its licence version's) withdrawn with its person; a copy not recorded counts as withdrawn.</summary>
    private async Task<bool> CopyWithdrawnAsync(CreditCode code, long index, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (copies is null)
        {
            return false;
        }

        var copy = await copies.FindAsync(code, index, cancellationToken);
        return copy is null || copy.WithdrawnAt(now);
    }

    /// <summary>The outcome of the checks that need no storage: the first failure, or the claims and the key under which the use is recorded.</summary>
    public sealed record Examination(ReceiptTarget Target, VerificationReason? Failure, PresentedClaims? Claims, string? ReplayKey);

    /// <summary>Every check that needs no storage. Text that is not an SD-JWT at all is a <see cref="ProblemException"/> naming <c>presentation</c>.</summary>
    public static Examination Examine(string presentation, Expectations expected)
    {
        ArgumentNullException.ThrowIfNull(presentation);
        ArgumentNullException.ThrowIfNull(expected);
        if (!SdJwt.TrySplit(presentation, out var parts, out var error) || !CompactJws.TryParse(parts.IssuerJwt, CompactJws.MaxLength, allowCertificateChain: true, out var jwt, out error))
        {
            throw ProblemException.Invalid("presentation", "Not an SD-JWT presentation: " + error);
        }

        var target = new ReceiptTarget("presentation", null, null, null, jwt.KeyId is { Length: <= 100 } kid ? kid : null, LicenceChecker.Digest(presentation));
        Examination Fail(string code, string message) => new(target, new VerificationReason(code, message), null, null);

        if (LicenceChecker.SignatureFailure(jwt, expected.FindKey) is { } signatureFailure)
        {
            return new(target, signatureFailure, null, null);
        }

        var payload = ReadObject(jwt.Payload);
        var vct = LicenceSdJwtVc.Vct(expected.Issuer);
        if (jwt.Type != LicenceSdJwtVc.JwsType || payload is not { } p || Text(p, "vct") != vct || Text(p, "_sd_alg") != SdJwt.HashAlgorithm
            || Text(p, "creditCode") is not { } creditCode || !p.TryGetProperty("licenceVersion", out var v) || !v.TryGetInt32(out var version)
            || !p.TryGetProperty("_sd", out var sd) || sd.ValueKind != JsonValueKind.Array)
        {
            return Fail(ReasonCodes.NotALicenceCredential, $"The token is signed by this service but is not a business licence SD-JWT VC ({LicenceSdJwtVc.JwsType}, vct {vct}).");
        }

        target = target with { CreditCode = creditCode, LicenceVersion = version };
        if (Text(p, "iss") != expected.Issuer.Id)
        {
            return Fail(ReasonCodes.WrongIssuer, $"The SD-JWT VC names issuer '{Shown(Text(p, "iss"))}', not '{expected.Issuer.Id}'.");
        }

        var digests = sd.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : null).ToHashSet(StringComparer.Ordinal);
        var disclosed = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var encoded in parts.Disclosures)
        {
            if (!Disclosure.TryParse(encoded, out var disclosure, out error))
            {
                return Fail(ReasonCodes.DisclosureNotInCredential, error);
            }

            // A digest the issuer did not sign means the disclosure was altered or belongs to another credential (RFC 9901 §7.1 step 3).
            if (!digests.Contains(disclosure.Digest) || !seen.Add(disclosure.Digest) || p.TryGetProperty(disclosure.Name, out _)
                || !disclosed.TryAdd(disclosure.Name, disclosure.Value))
            {
                return Fail(ReasonCodes.DisclosureNotInCredential, $"The disclosure of '{Shown(disclosure.Name)}' is not one of this credential's: it was altered, repeated or taken from another credential.");
            }
        }

        target = target with { Disclosed = [.. disclosed.Keys] };
        var holderKey = HolderJwk.FromConfirmation(p);
        if (parts.KeyBindingJwt is null || holderKey is null)
        {
            return Fail(ReasonCodes.KeyBindingMissing, "A presentation ends with a key-binding JWT signed by the holder's key (RFC 9901 §4.3).");
        }

        if (!CompactJws.TryParse(parts.KeyBindingJwt, out var kb, out error) || kb.Type != SdJwt.KeyBindingType
            || !holderKey.Verify(kb.Algorithm, kb.SigningInput, kb.Signature))
        {
            return Fail(ReasonCodes.BadKeyBinding, "The key-binding JWT is not signed by the key the credential is bound to (cnf.jwk).");
        }

        if (ReadObject(kb.Payload) is not { } kbPayload || Text(kbPayload, "sd_hash") != SdJwt.SdHash(parts)
            || !kbPayload.TryGetProperty("iat", out var iatElement) || !iatElement.TryGetInt64(out var iat) || Text(kbPayload, "nonce") is not { } nonce)
        {
            return Fail(ReasonCodes.BadKeyBinding, "The key-binding JWT was not made for these disclosures (sd_hash), or lacks iat or nonce.");
        }

        if (Text(kbPayload, "aud") != expected.Audience)
        {
            return Fail(ReasonCodes.WrongAudience, $"The presentation is for '{Shown(Text(kbPayload, "aud"))}', not for the verifier '{expected.Audience}'.");
        }

        var made = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(iat, 0, 253_402_300_799));
        if (expected.Now - made > MaxAge || made - expected.Now > ClockSkew)
        {
            return Fail(ReasonCodes.PresentationExpired, $"The presentation was made at {made:O}; it is good for {MaxAge.TotalMinutes:0} minutes.");
        }

        if (expected.Nonce is not null && !CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(nonce), System.Text.Encoding.UTF8.GetBytes(expected.Nonce)))
        {
            return Fail(ReasonCodes.NonceMismatch, "The presentation's nonce is not the one this verification was asked with.");
        }

        // The signing input, not the whole token: a second valid signature over the same claims (ECDSA) is the same presentation.
        var replayKey = Convert.ToHexStringLower(SHA256.HashData(kb.SigningInput));
        return new(target, null, new PresentedClaims(creditCode, version, disclosed, StatusIndexOf(p, expected.Issuer)), replayKey);
    }

    /// <summary>The index a <c>status.status_list</c> of this service names (its list number from the uri, times the list length, plus idx).</summary>
    private static long? StatusIndexOf(JsonElement payload, IssuerOptions issuer)
    {
        if (!payload.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object
            || !status.TryGetProperty("status_list", out var entry) || entry.ValueKind != JsonValueKind.Object
            || !entry.TryGetProperty("idx", out var idx) || !idx.TryGetInt32(out var position) || position < 0 || position >= BitstringStatusList.Length
            || Text(entry, "uri") is not { } uri)
        {
            return null;
        }

        var prefix = TokenStatusLists.ListUrl(issuer, 0)[..^1];
        return uri.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(uri[prefix.Length..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var list)
            ? ((long)list * BitstringStatusList.Length) + position
            : null;
    }

    private static JsonElement? ReadObject(byte[] json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement o, string name) => o.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    private static string? Shown(string? text) => text is { Length: > 100 } ? text[..100] + "…" : text;
}
