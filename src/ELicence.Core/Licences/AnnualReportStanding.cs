namespace ELicence.Core.Licences;

/// <summary>
/// The latest annual report on file (filed, not rejected) as the public register and verifiers are told it: "annual report
/// for <see cref="Year"/> filed on <see cref="FiledOn"/>", and whether it came after the 30 June deadline.
/// </summary>
public sealed record AnnualReportStanding(int Year, int Version, DateOnly FiledOn, bool Late);

/// <summary>A rule that may refuse a reinstatement (e.g. a listing for a missing annual report stays until it is filed).</summary>
public interface IReinstatementCheck
{
    /// <summary>Throws a problem naming what is missing when <paramref name="licence"/> may not be reinstated yet.</summary>
    Task EnsureMayReinstateAsync(Licence licence, CancellationToken cancellationToken);
}
