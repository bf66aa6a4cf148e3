using System.Text.Json.Serialization;
using ELicence.Core.Keys;
using ELicence.Core.Serialization;
using ELicence.Core.Verification;

namespace ELicence.Core.Receipts;

/// <summary>
/// The one receipt of a batch verification (a tender's bid opening): who checked, when, for what, and for every item in
/// input order its input digest, credit code and outcome. Signed like <see cref="Receipt"/>, with its own <c>typ</c>.
/// </summary>
public sealed record BatchReceipt(
    [property: JsonPropertyName("iss")] string Issuer,
    [property: JsonPropertyName("jti")] string Id,
    [property: JsonPropertyName("iat")] long IssuedAtUnix,
    DateTimeOffset VerifiedAt,
    ReceiptVerifier Verifier,
    string? Purpose,
    BatchSummary Summary,
    IReadOnlyList<BatchReceiptItem> Items)
{
    public const string JwsType = "batch-receipt+jwt";
    private const string IdPrefix = "rcptb_";

    public string Sign(SigningKey key) => KeyJws.SignJson(key, JwsType, this);

    public static string NewId() => ResourceIds.New(IdPrefix);

    public static bool IsWellFormedId(string? id) => ResourceIds.IsWellFormed(id, IdPrefix);
}

/// <summary>
/// One item of a batch receipt. <see cref="InputSha256"/> is the SHA-256 of the credential or code as sent (UTF-8, surrounding
/// whitespace removed; for an item that is neither, of its JSON text); <see cref="Reasons"/> the reason codes, or the
/// problem's type for an item that could not be checked.
/// </summary>
public sealed record BatchReceiptItem(int Index, string? Kind, string InputSha256, string? CreditCode, int? LicenceVersion, BatchOutcome Outcome, IReadOnlyList<string> Reasons);

/// <summary>A stored, signed batch receipt and the verifier organisation that owns it.</summary>
public sealed record StoredBatchReceipt(string Id, string VerifierId, string Jws, BatchReceipt Receipt);

/// <summary>Write-once batch receipts, indexed by verifier and by every licence they checked.</summary>
public interface IBatchReceiptStore
{
    /// <summary>Stores the receipt; a second write under the same id must fail.</summary>
    Task SaveAsync(StoredBatchReceipt receipt, CancellationToken cancellationToken);

    Task<StoredBatchReceipt?> FindAsync(string id, CancellationToken cancellationToken);
}
