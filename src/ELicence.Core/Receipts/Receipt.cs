using System.Text.Json.Serialization;
using ELicence.Core.Callers;
using ELicence.Core.Keys;
using ELicence.Core.Verification;
using ELicence.Core.Verifiers;

namespace ELicence.Core.Receipts;

/// <summary>
/// A verification receipt: what was checked, by whom, when, for what, and the answer. Signed by the service as a JWT
/// (iss, jti, iat, sub) so any JOSE library can check it with the published JWKS and an auditor can rely on it.
/// </summary>
public sealed record Receipt(
    [property: JsonPropertyName("iss")] string Issuer,
    [property: JsonPropertyName("jti")] string Id,
    [property: JsonPropertyName("iat")] long IssuedAtUnix,
    [property: JsonPropertyName("sub")] string? Subject,
    DateTimeOffset VerifiedAt,
    ReceiptVerifier Verifier,
    string? Purpose,
    ReceiptTarget Checked,
    bool Valid,
    IReadOnlyList<VerificationReason> Reasons,
    ELicence.Core.Licences.LicenceSummary? Licence,
    Presentations.PresentedLicence? Presented = null)
{
    public const string JwsType = "receipt+jwt";

    public string Sign(SigningKey key) => KeyJws.SignJson(key, JwsType, this);

    private const string IdPrefix = "rcpt_";

    public static string NewId() => ResourceIds.New(IdPrefix);

    public static bool IsWellFormedId(string? id) => ResourceIds.IsWellFormed(id, IdPrefix);
}

/// <summary>Who verified: the organisation (its id, name and kind), whichever of its keys it used.</summary>
public sealed record ReceiptVerifier(string Id, string Name, VerifierKind? Kind)
{
    public static ReceiptVerifier Of(Callers.Caller verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        return new(verifier.Id, verifier.Name, verifier.VerifierKind);
    }
}

/// <summary>What the verifier presented: a credential (its id and the version it claims), a presentation (and the names of the claims it disclosed) or a bare credit code.</summary>
public sealed record ReceiptTarget(string Kind, string? CreditCode, string? CredentialId, int? LicenceVersion, string? KeyId, string? CredentialSha256, IReadOnlyList<string>? Disclosed = null);

/// <summary>A stored, signed receipt and who owns it.</summary>
public sealed record StoredReceipt(string Id, string VerifierId, string Jws, Receipt Receipt);

/// <summary>Write-once receipt storage, indexed by licence and by verifier.</summary>
public interface IReceiptStore
{
    /// <summary>Stores the receipt; a second write under the same id must fail.</summary>
    Task SaveAsync(StoredReceipt receipt, CancellationToken cancellationToken);

    Task<StoredReceipt?> FindAsync(string id, CancellationToken cancellationToken);
}
