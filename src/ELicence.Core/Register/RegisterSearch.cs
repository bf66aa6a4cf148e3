using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ELicence.Core.CreditCodes;
using ELicence.Core.Keys;
using ELicence.Core.Licences;
using ELicence.Jose;

namespace ELicence.Core.Register;

/// <summary>A search as the query string gives it; every member is validated by <see cref="RegisterSearch"/>.</summary>
public sealed record RegisterSearchRequest(string? Q, string? Status = null, string? EntityType = null, string? Limit = null, string? ContinuationToken = null);

/// <summary>How a hit matched, best first.</summary>
public enum SearchMatch
{
    ExactCode,
    ExactName,
    Code,
    Name,
    FormerName,
}

/// <summary>One licence found, with its public summary and the name (or code) it was found by.</summary>
public sealed record RegisterSearchHit(string CreditCode, string Name, string? NameEn, EntityType EntityType, LicenceStatus Status, SearchMatch Match, string MatchedName, bool FormerName);

public sealed record RegisterSearchPage(IReadOnlyList<RegisterSearchHit> Results, string? ContinuationToken);

/// <summary>
/// Search of the public register by full or partial credit code, exact name or any part of a name (two characters or
/// more), current or former, in any width and case. Candidates come from the smallest index partition among the query's
/// terms (bounded by <see cref="RegisterOptions.SearchTermCap"/>), are checked against their names, ranked (exact code,
/// exact name, partial code, partial current name, former name) and paged by an offset in a token bound to the query.
/// </summary>
public sealed class RegisterSearch(IRegisterIndex index, RegisterOptions options)
{
    public const int MinQueryLength = 2;
    public const int MaxQueryLength = 100;
    public const int MaxPageSize = 50;
    public const int DefaultPageSize = 20;

    // Matched literally would surprise a caller who meant a pattern; refused so the answer says so.
    private static readonly SearchValues<char> Wildcards = SearchValues.Create("*%?_[]^$\\");

    public async Task<RegisterSearchPage> SearchAsync(RegisterSearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = ValidQuery(request.Q);
        var status = OptionalEnum<LicenceStatus>(request.Status, "status");
        var entityType = OptionalEnum<EntityType>(request.EntityType, "entityType");
        var limit = PageSize(request.Limit);
        var binding = Binding(query, status, entityType);
        var offset = Offset(request.ContinuationToken, binding);

        var hits = (await CandidatesAsync(query, cancellationToken))
            .Where(l => (status is null || l.Status == status) && (entityType is null || l.EntityType == entityType))
            .Select(l => Rank(l, query))
            .OfType<RegisterSearchHit>()
            .OrderBy(h => h.Match)
            .ThenBy(h => h.MatchedName.Length)
            .ThenBy(h => h.CreditCode, StringComparer.Ordinal)
            .ToList();
        var page = hits.Skip(offset).Take(limit).ToList();
        var next = offset + page.Count < hits.Count ? Token(offset + page.Count, binding) : null;
        return new RegisterSearchPage(page, next);
    }

    private async Task<IReadOnlyCollection<IndexedLicence>> CandidatesAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        var terms = query.NameTerms.Concat(query.CodeTerms).ToList();
        var postings = await Task.WhenAll(terms.Select(t => index.ReadTermAsync(t, options.SearchTermCap, cancellationToken)));
        var byTerm = terms.Zip(postings).ToList();
        var candidates = new Dictionary<string, IndexedLicence>(StringComparer.Ordinal);
        var tooBroad = false;
        // Names and code fragments are separate ways to match: each contributes the smallest complete partition among its terms.
        foreach (var group in new[] { query.NameTerms, query.CodeTerms }.Where(g => g.Count > 0))
        {
            var complete = byTerm.Where(p => group.Contains(p.First) && p.Second.Complete).Select(p => p.Second).MinBy(p => p.Licences.Count);
            if (complete is null)
            {
                tooBroad = true;
                continue;
            }

            foreach (var licence in complete.Licences)
            {
                candidates.TryAdd(licence.CreditCode, licence);
            }
        }

        if (tooBroad && candidates.Count == 0)
        {
            throw ProblemException.Invalid("q", $"'{query.Text}' matches too many licences to rank (every part of it is in more than {options.SearchTermCap.ToString(CultureInfo.InvariantCulture)} names); add more of the name, or search by credit code.");
        }

        return candidates.Values;
    }

    private static RegisterSearchHit? Rank(IndexedLicence licence, SearchQuery query)
    {
        if (query.CodeFragment is { } fragment && licence.CreditCode.Contains(fragment, StringComparison.Ordinal))
        {
            return Hit(licence, fragment.Length == CreditCode.Length ? SearchMatch.ExactCode : SearchMatch.Code, licence.CreditCode, false);
        }

        RegisterSearchHit? best = null;
        foreach (var (name, former) in licence.SearchableNames())
        {
            if (!RegisterText.Matches(query.Normalised, name))
            {
                continue;
            }

            var match = RegisterText.Compact(name) == query.Compact ? SearchMatch.ExactName : former ? SearchMatch.FormerName : SearchMatch.Name;
            if (best is null || match < best.Match)
            {
                best = Hit(licence, match, name, former);
            }
        }

        return best;
    }

    private static RegisterSearchHit Hit(IndexedLicence l, SearchMatch match, string matched, bool former) =>
        new(l.CreditCode, l.Name, l.NameEn, l.EntityType, l.Status, match, matched, former);

    private sealed record SearchQuery(string Text, string Normalised, string Compact, IReadOnlyList<string> NameTerms, IReadOnlyList<string> CodeTerms, string? CodeFragment);

    private static SearchQuery ValidQuery(string? q)
    {
        var text = q?.Trim() ?? "";
        if (text.Length == 0)
        {
            throw ProblemException.Invalid("q", "Give the credit code (or six or more of its characters) or a name (or two or more of its characters).");
        }

        if (text.Length > MaxQueryLength)
        {
            throw ProblemException.Invalid("q", $"At most {MaxQueryLength} characters.");
        }

        if (text.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format) || text.EnumerateRunes().Any(r => r == Rune.ReplacementChar))
        {
            throw ProblemException.Invalid("q", "Control and formatting characters are not allowed.");
        }

        if (text.AsSpan().IndexOfAny(Wildcards) >= 0)
        {
            throw ProblemException.Invalid("q", "Wildcards and pattern characters (* % ? _ [ ] ^ $ \\) are not supported: every character is matched as written, and a part of a name already finds the whole name.");
        }

        var normalised = RegisterText.Normalise(text);
        var compact = RegisterText.Compact(normalised);
        if (compact.Length < MinQueryLength)
        {
            throw ProblemException.Invalid("q", $"At least {MinQueryLength} letters or digits.");
        }

        var upper = compact.ToUpperInvariant();
        var codeFragment = upper.Length is >= RegisterText.CodeGram and <= CreditCode.Length && upper.All(c => CreditCode.Alphabet.Contains(c, StringComparison.Ordinal)) ? upper : null;
        var nameTerms = RegisterText.NameTerms(normalised);
        return new SearchQuery(text, normalised, compact, nameTerms, codeFragment is null ? [] : RegisterText.CodeTerms(codeFragment), codeFragment);
    }

    private static T? OptionalEnum<T>(string? value, string field)
        where T : struct, Enum
    {
        if (value is null)
        {
            return null;
        }

        foreach (var candidate in Enum.GetValues<T>())
        {
            if (LicenceLifecycle.Kebab(candidate) == value)
            {
                return candidate;
            }
        }

        throw ProblemException.Invalid(field, $"One of: {string.Join(", ", Enum.GetValues<T>().Select(LicenceLifecycle.Kebab))}.");
    }

    private static int PageSize(string? limit)
    {
        if (limit is null)
        {
            return DefaultPageSize;
        }

        return int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxPageSize
            ? n
            : throw ProblemException.Invalid("limit", $"A whole number from 1 to {MaxPageSize}.");
    }

    // The token names the query it continues, so a token cannot be replayed against another query.
    private static string Binding(SearchQuery query, LicenceStatus? status, EntityType? entityType) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{query.Normalised}\n{status}\n{entityType}")))[..16];

    private static string Token(int offset, string binding) => B64Url.Encode(Encoding.UTF8.GetBytes(offset.ToString(CultureInfo.InvariantCulture) + "." + binding));

    private int Offset(string? token, string binding)
    {
        if (token is null)
        {
            return 0;
        }

        var parts = token.Length <= 64 && B64Url.TryDecode(token, out var bytes) ? Encoding.UTF8.GetString(bytes).Split('.') : [];
        if (parts.Length != 2 || parts[1] != binding || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var offset) || offset > options.SearchTermCap * 2)
        {
            throw ProblemException.Invalid("continuationToken", "Not a token this search returned: repeat the same query (q, status, entityType) with the token of its last page.");
        }

        return offset;
    }
}
