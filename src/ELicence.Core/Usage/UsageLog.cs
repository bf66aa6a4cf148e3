using System.Globalization;
using System.Text.RegularExpressions;
using ELicence.Core.Callers;
using ELicence.Core.CreditCodes;

namespace ELicence.Core.Usage;

/// <summary>What a use of a licence was.</summary>
public enum UsageKind
{
    Verification,
    Download,
    Signature,
    Presentation,
}

/// <summary>
/// One use of a licence: when, what, who acted (a verifier organisation, or the person a holder key belongs to, with the key's
/// id), for what purpose and with what outcome; the receipt or signature it produced, or the document downloaded; for a
/// quick-mode presentation, the verifier it is for, the claim names it discloses (never their values) and when it expires.
/// </summary>
public sealed record UsageRecord(
    string Id,
    UsageKind Kind,
    DateTimeOffset At,
    string ActorId,
    string ActorName,
    string? Purpose = null,
    string? Outcome = null,
    string? ReceiptId = null,
    string? Document = null,
    string? SignatureId = null,
    string? Audience = null,
    IReadOnlyList<string>? Disclosed = null,
    DateTimeOffset? ExpiresAt = null)
{
    /// <summary>A use by <paramref name="caller"/>: a holder key is named by its person and key id, anyone else by its principal.</summary>
    public static UsageRecord By(Caller caller, string id, UsageKind kind, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new(id, kind, at, caller.Grant?.KeyId ?? caller.Id, caller.Name);
    }
}

/// <summary>A page of usage records, newest first, and the token of the next page (null on the last one).</summary>
public sealed record UsagePage(IReadOnlyList<UsageRecord> Items, string? Continuation);

/// <summary>Which records to read: a closed date range (either end optional), after a continuation token, at most <see cref="Limit"/>.</summary>
public sealed record UsageQuery(DateTimeOffset? From, DateTimeOffset? To, string? Continuation, int Limit);

/// <summary>The usage index of each licence (Table Storage: the licence's partition, newest first by row key).</summary>
public interface IUsageLog
{
    /// <summary>Records a use; writing the same <see cref="UsageRecord.Id"/> at the same time again changes nothing.</summary>
    Task AppendAsync(CreditCode code, UsageRecord record, CancellationToken cancellationToken);

    Task<UsagePage> ReadAsync(CreditCode code, UsageQuery query, CancellationToken cancellationToken);
}

/// <summary>"Who checked my licence": for the owner, administrators and agents with <see cref="HolderScope.ViewUsage"/>, and the registrar.</summary>
public sealed partial class UsageQueries(IUsageLog log, ICreditCodeExceptions codes)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public async Task<UsagePage> ListAsync(Caller caller, string code, string? from, string? to, string? continuation, string? limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var creditCode = codes.ParseField(code);
        caller.EnsureMayViewUsage(creditCode);

        var errors = new List<FieldError>();
        var fromAt = Instant(errors, "from", from);
        var toAt = Instant(errors, "to", to);
        if (fromAt > toAt)
        {
            errors.Add(new FieldError("from", "Must not be after 'to'."));
        }

        if (continuation is not null && !ContinuationShape().IsMatch(continuation))
        {
            errors.Add(new FieldError("continuation", "Not a continuation token of this listing; pass the one a previous page returned."));
        }

        var count = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxLimit))
        {
            errors.Add(new FieldError("limit", $"An integer from 1 to {MaxLimit}."));
        }

        if (errors.Count > 0)
        {
            throw ProblemException.Invalid(errors);
        }

        return await log.ReadAsync(creditCode, new UsageQuery(fromAt, toAt, continuation, count), cancellationToken);
    }

    private static DateTimeOffset? Instant(List<FieldError> errors, string field, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParseExact(value, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            && (value.EndsWith('Z') || (value.Length > 6 && value[^6] is '+' or '-')))
        {
            return at;
        }

        errors.Add(new FieldError(field, "An RFC 3339 date-time with an offset, e.g. 2026-11-29T08:00:00Z."));
        return null;
    }

    /// <summary>The row keys the store hands out as tokens: 19 digits, a dash, a record id.</summary>
    [GeneratedRegex("^[0-9]{19}-[a-z0-9_]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ContinuationShape();
}
