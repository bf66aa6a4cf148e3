using ELicence.Core.Callers;
using ELicence.Core.CreditCodes;
using ELicence.Core.Licences;

namespace ELicence.Core.Signatures;

/// <summary>
/// One signature made with the licence, as its history shows it: when, by whom (person, key, kind), which document
/// (name and SHA-256), for what purpose, and the licence's version and status it attested.
/// </summary>
public sealed record SignatureEntry(
    string Id,
    DateTimeOffset At,
    string SignedBy,
    string KeyId,
    HolderKind Kind,
    string DocumentName,
    string DocumentSha256,
    string Purpose,
    int LicenceVersion,
    LicenceStatus LicenceStatus);

/// <summary>
/// The append-only record of signatures, kept in the licence's partition beside its history (like document downloads): a
/// signature changes nothing about the licence, so it does not go through <c>LicenceChangeCommitter</c>. An entry is
/// written under its signature id, so writing it again (a retried write) leaves one.
/// </summary>
public interface ISignatureHistory
{
    Task AppendAsync(CreditCode code, SignatureEntry entry, CancellationToken cancellationToken);

    /// <summary>Every signature made with the licence, oldest first.</summary>
    Task<IReadOnlyList<SignatureEntry>> ListAsync(CreditCode code, CancellationToken cancellationToken);
}
