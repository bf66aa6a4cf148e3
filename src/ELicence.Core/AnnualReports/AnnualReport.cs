using System.ComponentModel.DataAnnotations;
using System.Globalization;
using ELicence.Core.Callers;
using ELicence.Core.CreditCodes;
using ELicence.Core.Licences;

namespace ELicence.Core.AnnualReports;

/// <summary>Where a filed version stands: on file, or rejected by the registrar (then the year counts as not filed).</summary>
public enum AnnualReportState
{
    Filed,
    Rejected,
}

/// <summary>
/// One filed version of a licence's annual report for a year. A correction is a new version; every version is kept. The
/// content is signed with the licence (a detached JWS over the SHA-256 of its canonical JSON, as any licence signature).
/// </summary>
public sealed record AnnualReport(
    string CreditCode,
    int Year,
    int Version,
    AnnualReportState State,
    DateTimeOffset FiledAt,
    DateOnly FiledOn,
    bool Late,
    Actor FiledBy,
    AnnualReportContent Content,
    string DocumentSha256,
    string Signature,
    string SignatureId)
{
    public Actor? RejectedBy { get; init; }

    public DateTimeOffset? RejectedAt { get; init; }

    public string? RejectionReason { get; init; }

    /// <summary>The stored row's ETag (rejection replaces the row under it).</summary>
    public string? ETag { get; init; }
}

/// <summary>Where annual reports are kept: every version, and the standing the verification path reads with the licence.</summary>
public interface IAnnualReportStore
{
    /// <summary>Adds a version; false when that version number exists already (a concurrent filing: read again).</summary>
    Task<bool> TryAddAsync(AnnualReport report, CancellationToken cancellationToken);

    /// <summary>Every version of every year, oldest first.</summary>
    Task<IReadOnlyList<AnnualReport>> ListAsync(CreditCode code, CancellationToken cancellationToken);

    /// <summary>Replaces a version under its ETag; false when it changed meanwhile.</summary>
    Task<bool> TryReplaceAsync(AnnualReport report, CancellationToken cancellationToken);

    /// <summary>Writes the licence's standing (null: nothing on file), which the licence's verification read returns with it.</summary>
    Task SetStandingAsync(CreditCode code, AnnualReportStanding? standing, CancellationToken cancellationToken);
}

/// <summary>
/// Section <c>AnnualReports</c>: the filing deadline. The listing timer's schedule is the flat setting
/// <c>Timers_ListMissingAnnualReports</c> (NCRONTAB, UTC; default 0 0 16 30 6 *, 1 July 00:00 China time), which its trigger names as
/// <c>%Timers_ListMissingAnnualReports%</c>; a run before the deadline has passed lists nothing.
/// </summary>
public sealed class AnnualReportOptions : IValidatableObject
{
    public const string Section = "AnnualReports";

    /// <summary>The last day (MM-dd, China time) to file the previous year's report (条例 art. 8: 30 June); the day after, missing reports are listed.</summary>
    public string FilingDeadline { get; set; } = "06-30";

    /// <summary>The deadline for the report of <paramref name="year"/>: in the following year.</summary>
    public DateOnly DeadlineFor(int year)
    {
        var day = DateOnly.ParseExact("2000-" + FilingDeadline, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new DateOnly(year + 1, day.Month, Math.Min(day.Day, DateTime.DaysInMonth(year + 1, day.Month)));
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!DateOnly.TryParseExact("2000-" + FilingDeadline, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            yield return new ValidationResult($"{Section}:FilingDeadline must be a day of the year as MM-dd, such as 06-30.", [nameof(FilingDeadline)]);
        }
    }
}
