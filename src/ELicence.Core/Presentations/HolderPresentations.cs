using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ELicence.Core.Callers;
using ELicence.Core.Credentials;
using ELicence.Core.CreditCodes;
using ELicence.Core.Keys;
using ELicence.Core.Licences;
using ELicence.Core.StatusLists;
using ELicence.Core.Usage;
using ELicence.Core.Verifiers;
using ELicence.Jose;

namespace ELicence.Core.Presentations;

/// <summary>Wallet mode: the business's own public key, as a JWK.</summary>
public sealed record WalletCredentialRequest(JsonElement? Jwk);

/// <summary>An SD-JWT VC for a wallet: the combined form, and each disclosure by the claim it reveals.</summary>
public sealed record WalletCredential(string SdJwtVc, IReadOnlyList<WalletDisclosure> Disclosures, int LicenceVersion);

public sealed record WalletDisclosure(string Name, string Disclosure);

/// <summary>Quick mode: a presentation for one verifier organisation, disclosing the named claims, with the verifier's nonce if it gave one.</summary>
public sealed record QuickPresentationRequest(string? Audience, IReadOnlyList<string>? Disclose, string? Nonce);

/// <summary>A presentation made by the service with the licence's holder key: the text, a QR PNG of it (null when too long for one), and its limits.</summary>
public sealed record QuickPresentation(string Presentation, string Audience, string Nonce, IReadOnlyList<string> Disclosed, DateTimeOffset ExpiresAt, byte[]? QrPng);

/// <summary>The Ed25519 key the service holds for each licence, to make quick-mode presentations: a secret, stored like the signing keys.</summary>
public interface IPresentationKeyStore
{
    Task<byte[]?> FindSeedAsync(CreditCode code, CancellationToken cancellationToken);

    /// <summary>Stores the licence's first key; false when one was stored first (then that one is the key).</summary>
    Task<bool> TryCreateSeedAsync(CreditCode code, byte[] seed, CancellationToken cancellationToken);
}

/// <summary>The person a wallet copy is issued to: the holder key that asked (null for none, e.g. the registrar) and when it expires.</summary>
public sealed record WalletRecipient(string? HolderKeyId, DateTimeOffset? ExpiresAt)
{
    public static WalletRecipient Of(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new(caller.Grant?.KeyId, caller.Grant?.ExpiresAt);
    }
}

/// <summary>A wallet copy as issued: the SD-JWT VC, its disclosures, the licence version and the copy's status index.</summary>
public sealed record IssuedWalletCopy(string Combined, IReadOnlyList<Disclosure> Disclosures, int LicenceVersion, string IssuerJwt, long StatusIndex);

/// <summary>Issues the licence as an SD-JWT VC bound to a holder key, for a holder allowed to present.</summary>
public sealed class SdJwtVcIssuer(
    ILicenceStore licences,
    IKeyRingProvider keys,
    IssuerOptions issuer,
    ICreditCodeExceptions codeExceptions,
    TimeProvider time,
    ISequenceAllocator sequence,
    IWalletCopyStore copies,
    IStatusListQueue statusQueue)
{
    /// <summary>Wallet mode: an SD-JWT VC bound to the business's own key (Ed25519 or P-256 JWK, checked strictly), a copy of its own.</summary>
    public async Task<WalletCredential> IssueForWalletAsync(Caller caller, string code, WalletCredentialRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var creditCode = Authorise(caller, code);
        if (request.Jwk is not { } jwk)
        {
            throw ProblemException.Invalid("jwk", "The wallet's public key as a JWK (Ed25519 or P-256).");
        }

        if (!HolderJwk.TryRead(jwk, "jwk", out var key, out var error))
        {
            throw ProblemException.Invalid([error!]);
        }

        var issued = await IssueCopyAsync(creditCode, key, WalletRecipient.Of(caller), cancellationToken);
        return new WalletCredential(issued.Combined, [.. issued.Disclosures.Select(d => new WalletDisclosure(d.Name, d.Encoded))], issued.LicenceVersion);
    }

    /// <summary>The code of a licence the caller may present; 403 for anyone else.</summary>
    public CreditCode Authorise(Caller caller, string code)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var creditCode = codeExceptions.ParseField(code, "code");
        caller.EnsureHolderMay(creditCode, HolderScope.Present);
        return creditCode;
    }

    /// <summary>
    /// The seam for every wallet issuance (this route and OpenID4VCI): the current version of the licence as an SD-JWT VC
    /// bound to <paramref name="holderKey"/>, with a status entry of its own recorded against <paramref name="recipient"/>, so
    /// that removing or expiring that person withdraws the copy (its entry reads INVALID). The copy is recorded before it is
    /// signed: a crash in between leaves an entry no credential uses, never a credential without an entry. Authorisation is
    /// the caller's.
    /// </summary>
    public async Task<IssuedWalletCopy> IssueCopyAsync(CreditCode code, HolderJwk holderKey, WalletRecipient recipient, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var found = await licences.FindCurrentWithPermitsAsync(code, cancellationToken) ?? throw ProblemException.NotFound($"The register has no licence {code}.");
        var now = time.GetUtcNow();
        var index = await sequence.AllocateAsync(Sequences.StatusListIndices, $"{code.Value}/copy/{Guid.CreateVersion7()}", cancellationToken);
        await copies.AddAsync(new WalletCopy(code, index, found.Licence.Version, recipient.HolderKeyId, recipient.ExpiresAt, now, null), cancellationToken);
        await statusQueue.EnqueueSyncAsync(code, cancellationToken); // the new entry takes the licence's state (e.g. suspended) in the lists
        var ring = await keys.GetAsync(cancellationToken);
        var vc = LicenceSdJwtVc.Issue(found, holderKey, issuer, ring, index, now);
        return new IssuedWalletCopy(vc.Combined, vc.Disclosures, found.Licence.Version, vc.IssuerJwt, index);
    }

    /// <summary>The current version of the licence as an SD-JWT VC bound to <paramref name="holderKey"/>, under the licence version's own status entry, without x5c (quick mode: the service's key per licence, a QR code).</summary>
    public async Task<(string Combined, IReadOnlyList<Disclosure> Disclosures, int LicenceVersion, string IssuerJwt)> IssueAsync(CreditCode code, HolderJwk holderKey, CancellationToken cancellationToken)
    {
        var found = await licences.FindCurrentWithPermitsAsync(code, cancellationToken) ?? throw ProblemException.LicenceNotFound(code.Value);
        var ring = await keys.GetAsync(cancellationToken);
        var vc = LicenceSdJwtVc.Issue(found, holderKey, issuer, ring, found.Licence.StatusListIndex, time.GetUtcNow(), withChain: false);
        return (vc.Combined, vc.Disclosures, found.Licence.Version, vc.IssuerJwt);
    }
}

/// <summary>
/// Quick mode (like the national app's dynamic QR): the service holds an Ed25519 key per licence, issues the SD-JWT VC bound
/// to it and signs the key-binding JWT for one verifier organisation, with a fresh nonce unless the verifier gave one. Each
/// presentation is recorded in the licence's usage, naming the person who asked for it, before it is handed out.
/// </summary>
public sealed class QuickPresentations(SdJwtVcIssuer issuance, IVerifierStore verifiers, IPresentationKeyStore holderKeys, IUsageLog usage, IPresentationQrCode qrCode, TimeProvider time)
{
    public async Task<QuickPresentation> CreateAsync(Caller caller, string code, QuickPresentationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var creditCode = issuance.Authorise(caller, code);
        var disclose = ValidateDisclose(request.Disclose);
        var nonce = request.Nonce ?? B64Url.Encode(RandomNumberGenerator.GetBytes(16));
        if (nonce.Length is 0 or > 200 || nonce.Any(char.IsControl))
        {
            throw ProblemException.Invalid("nonce", "The verifier's nonce: 1 to 200 characters, no control characters; leave it out to get a fresh one.");
        }

        var audience = request.Audience is { } a && VerifierOrganisation.IsWellFormedId(a) ? await verifiers.FindAsync(a, cancellationToken) : null;
        if (audience is null)
        {
            throw ProblemException.Invalid("audience", "The id of the verifier organisation the presentation is for (as it appears in its receipts, e.g. verifier_…); no such verifier.");
        }

        var seed = await HolderSeedAsync(creditCode, cancellationToken);
        var (_, disclosures, _, issuerJwt) = await issuance.IssueAsync(creditCode, HolderJwk.Ed25519(Ed25519.PublicKeyFromSeed(seed)), cancellationToken);
        var chosen = disclosures.Where(d => disclose.Contains(DisclosableFields.FieldOf(d.Name))).ToList(); // an English variant goes with its claim
        var now = time.GetUtcNow();
        var parts = new SdJwtParts(issuerJwt, [.. chosen.Select(d => d.Encoded)], null);
        var kbPayload = new JsonObject
        {
            ["iat"] = now.ToUnixTimeSeconds(),
            ["aud"] = audience.Id,
            ["nonce"] = nonce,
            ["sd_hash"] = SdJwt.SdHash(parts),
        };
        var kb = CompactJws.Sign(seed, null, SdJwt.KeyBindingType, System.Text.Encoding.UTF8.GetBytes(kbPayload.ToJsonString()));
        var presentation = parts.WithoutKeyBinding + kb;
        var disclosed = chosen.Select(d => d.Name).ToList();
        var expiresAt = now + PresentationChecker.MaxAge;
        var record = UsageRecord.By(caller, ResourceIds.New("pres_"), UsageKind.Presentation, now) with { Audience = audience.Id, Disclosed = disclosed, ExpiresAt = expiresAt };
        await usage.AppendAsync(creditCode, record, cancellationToken);
        return new QuickPresentation(presentation, audience.Id, nonce, disclosed, expiresAt, qrCode.Png(presentation));
    }

    private static HashSet<string> ValidateDisclose(IReadOnlyList<string>? disclose)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (disclose?.Count ?? 0); i++)
        {
            if (!DisclosableFields.All.Contains(disclose![i], StringComparer.Ordinal) || !set.Add(disclose[i]))
            {
                throw ProblemException.Invalid($"disclose[{i}]", $"One of {string.Join(", ", DisclosableFields.All)}, each at most once; name, credit code, entity type, registration authority and status are always disclosed.");
            }
        }

        return set;
    }

    private async Task<byte[]> HolderSeedAsync(CreditCode code, CancellationToken cancellationToken)
    {
        if (await holderKeys.FindSeedAsync(code, cancellationToken) is { } stored)
        {
            return stored;
        }

        var seed = Ed25519.NewSeed();
        return await holderKeys.TryCreateSeedAsync(code, seed, cancellationToken)
            ? seed
            : await holderKeys.FindSeedAsync(code, cancellationToken) ?? throw new InvalidOperationException($"The holder key of {code} vanished while being created.");
    }
}
