using ELicence.Core.CreditCodes;
using ELicence.Core.Licences;

namespace ELicence.Core.Register;

/// <summary>
/// A licence as the public register shows it: only the fields the enterprise credit publicity system publishes (name,
/// code, entity type, legal representative, domicile, operating term, business scope, authority, status with its public
/// reason), plus the names it was registered under before. Search, the change feed, snapshots and deltas show nothing else.
/// </summary>
public sealed record PublicRecord(
    string CreditCode,
    string Name,
    string? NameEn,
    IReadOnlyList<string> FormerNames,
    EntityType EntityType,
    string LegalRepresentative,
    string Domicile,
    OperatingTerm OperatingTerm,
    string BusinessScope,
    string RegistrationAuthority,
    LicenceStatus Status,
    string? StatusReasonCode,
    string? StatusReason,
    int Version)
{
    /// <summary>The public record of <paramref name="current"/>; <paramref name="versions"/> (every version, oldest first) give the former names.</summary>
    public static PublicRecord Of(Licence current, IEnumerable<Licence> versions)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(versions);
        var d = current.Details;
        var currentNames = new HashSet<string?>(StringComparer.Ordinal) { d.Name, d.English?.Name };
        var former = versions
            .SelectMany(v => new[] { v.Details.Name, v.Details.English?.Name })
            .OfType<string>()
            .Where(n => !currentNames.Contains(n))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new PublicRecord(
            current.Code.Value, d.Name, d.English?.Name, former, d.EntityType, d.LegalRepresentative, d.Domicile, d.OperatingTerm,
            d.BusinessScope, d.RegistrationAuthority, current.Status, current.StatusDetail.ReasonCode, current.StatusDetail.Reason, current.Version);
    }
}

/// <summary>Reads the public record of a licence from the licence store.</summary>
public static class PublicRecords
{
    public static async Task<PublicRecord?> ReadAsync(ILicenceStore licences, CreditCode code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(licences);
        var current = await licences.FindCurrentAsync(code, cancellationToken);
        return current is null ? null : PublicRecord.Of(current, await licences.FindVersionsAsync(code, cancellationToken));
    }
}
