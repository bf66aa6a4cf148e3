using System.Globalization;
using System.Text;

namespace ELicence.Core.Register;

/// <summary>
/// How names and queries are compared: Unicode NFKC (full-width and half-width forms become one) then an invariant case
/// fold; Han, kana and Hangul runs are matched by character bigrams (they have no spaces), other letters and digits by
/// whole words; a credit code by its fragments of six characters. Index terms are built by the same code as query terms.
/// </summary>
public static class RegisterText
{
    /// <summary>The shortest code fragment a search by partial credit code accepts (and the length of the indexed code n-grams).</summary>
    public const int CodeGram = 6;

    public static string Normalise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
    }

    /// <summary>The text's letters and digits only, normalised: what a substring match compares.</summary>
    public static string Compact(string text)
    {
        var normal = Normalise(text);
        var builder = new StringBuilder(normal.Length);
        foreach (var rune in normal.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// The index terms of a name: <c>g:</c> plus each bigram of a run containing ideographs (a run of one: the character),
    /// <c>w:</c> plus each word, a word being a run without ideographs or such a part of a mixed run ("ABC" in "阿图什ABC科技").
    /// </summary>
    public static IReadOnlyList<string> NameTerms(string name)
    {
        var terms = new List<string>();
        foreach (var (run, ideographic) in Runs(Normalise(name)))
        {
            if (!ideographic)
            {
                terms.Add("w:" + run);
                continue;
            }

            var units = TextElements(run);
            if (units.Count == 1)
            {
                terms.Add("g:" + units[0]);
            }

            for (var i = 0; i + 1 < units.Count; i++)
            {
                terms.Add("g:" + units[i] + units[i + 1]);
            }

            terms.AddRange(WordsWithin(run).Select(w => "w:" + w));
        }

        return [.. terms.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The index terms of a credit code: <c>c:</c> plus each of its 6-character fragments.</summary>
    public static IReadOnlyList<string> CodeTerms(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return [.. Enumerable.Range(0, Math.Max(0, code.Length - CodeGram + 1)).Select(i => string.Concat("c:", code.AsSpan(i, CodeGram))).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>True when every run of the (normalised) query that has ideographs occurs in the name and every other one is a word of the name.</summary>
    public static bool Matches(string normalisedQuery, string name)
    {
        var normalName = Normalise(name);
        var compactName = Compact(normalName);
        var nameWords = Runs(normalName).SelectMany(r => r.Ideographic ? WordsWithin(r.Run) : [r.Run]).ToHashSet(StringComparer.Ordinal);
        return Runs(normalisedQuery).All(r => r.Ideographic ? compactName.Contains(r.Run, StringComparison.Ordinal) : nameWords.Contains(r.Run));
    }

    /// <summary>Runs of letters and digits (split at anything else), each marked when it contains an ideograph.</summary>
    public static IEnumerable<(string Run, bool Ideographic)> Runs(string normalised)
    {
        ArgumentNullException.ThrowIfNull(normalised);
        var builder = new StringBuilder();
        var ideographic = false;
        foreach (var rune in normalised.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                builder.Append(rune.ToString());
                ideographic |= IsIdeographic(rune);
                continue;
            }

            if (builder.Length > 0)
            {
                yield return (builder.ToString(), ideographic);
                builder.Clear();
                ideographic = false;
            }
        }

        if (builder.Length > 0)
        {
            yield return (builder.ToString(), ideographic);
        }
    }

    /// <summary>The maximal parts without ideographs of a mixed run.</summary>
    private static IEnumerable<string> WordsWithin(string run)
    {
        var builder = new StringBuilder();
        foreach (var rune in run.EnumerateRunes())
        {
            if (!IsIdeographic(rune))
            {
                builder.Append(rune.ToString());
            }
            else if (builder.Length > 0)
            {
                yield return builder.ToString();
                builder.Clear();
            }
        }

        if (builder.Length > 0)
        {
            yield return builder.ToString();
        }
    }

    // CJK radicals to unified ideographs (with kana between), Hangul syllables, compatibility ideographs and the supplementary planes' ideographs.
    private static bool IsIdeographic(Rune rune) =>
        rune.Value is (>= 0x2E80 and <= 0x9FFF) or (>= 0xAC00 and <= 0xD7AF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x20000 and <= 0x3FFFF);

    private static List<string> TextElements(string text)
    {
        var elements = new List<string>();
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext())
        {
            elements.Add(e.GetTextElement());
        }

        return elements;
    }
}
