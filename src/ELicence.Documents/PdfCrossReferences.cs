using System.Globalization;
using System.Text;

namespace ELicence.Documents;

/// <summary>
/// Whether an uploaded PDF indexes its objects only with classic cross-reference tables (<c>xref</c> … <c>trailer</c>),
/// as every licence PDF of this register does. A PDF 1.5 cross-reference stream, and the object streams only it can
/// point to, are compressed, and the PDF parser inflates them in full while it opens the file, before any of our checks
/// could bound them: a file that uses them is refused before it is parsed. The chain is followed exactly as the parser
/// does: the last <c>startxref</c> in the final kilobyte (else anywhere), then every <c>/Prev</c> of every trailer;
/// a chain that loops, or is longer than any real file's, is refused too.
/// </summary>
internal static class PdfCrossReferences
{
    private const int MaxSections = 64;
    private const int TailBytes = 1030;

    public static bool AreTablesOnly(ReadOnlySpan<byte> file)
    {
        var tail = file.Length > TailBytes ? file[^TailBytes..] : file;
        var found = tail.LastIndexOf("startxref"u8);
        var at = found >= 0 ? file.Length - tail.Length + found : file.LastIndexOf("startxref"u8);
        // Without a start the parser gives up before it reads any object: nothing to bound.
        if (at < 0 || Integer(file, at + "startxref".Length) is not { } first)
        {
            return true;
        }

        var pending = new Stack<long>([first.Value]);
        var seen = new HashSet<long>();
        while (pending.TryPop(out var offset))
        {
            // A chain that comes back to a section would make the parser read it for ever.
            if (!seen.Add(offset) || seen.Count > MaxSections || offset < 0 || offset >= file.Length || !StartsWithKeyword(file, (int)offset, "xref"u8))
            {
                return false;
            }

            var trailer = file[(int)offset..].IndexOf("trailer"u8);
            if (trailer < 0)
            {
                return false;
            }

            var start = (int)offset + trailer;
            var end = file[start..].IndexOf("startxref"u8);
            var dictionary = end < 0 ? file[start..] : file.Slice(start, end);
            // Every /Prev, even one a parser would not take (inside a string, say): a chain we cannot see whole is refused.
            // (/Prev 0 ends the chain, as it does for the parser.)
            foreach (var previous in PrevOffsets(dictionary).Where(p => p != 0))
            {
                pending.Push(previous);
            }
        }

        return true;
    }

    /// <summary>The integers after every name that reads <c>Prev</c> once its #hh escapes are decoded; a <c>/Prev</c> without one gives -1 (refused).</summary>
    private static List<long> PrevOffsets(ReadOnlySpan<byte> dictionary)
    {
        var offsets = new List<long>();
        for (var i = 0; i < dictionary.Length; i++)
        {
            if (dictionary[i] != '/')
            {
                continue;
            }

            var (name, next) = Name(dictionary, i + 1);
            if (name == "Prev")
            {
                offsets.Add(Integer(dictionary, next)?.Value ?? -1);
            }

            i = next - 1;
        }

        return offsets;
    }

    private static (string Name, int Next) Name(ReadOnlySpan<byte> text, int start)
    {
        var name = new StringBuilder();
        var i = start;
        while (i < text.Length && !IsWhiteSpace(text[i]) && !IsDelimiter(text[i]))
        {
            if (text[i] == '#' && i + 2 < text.Length && byte.TryParse(Encoding.ASCII.GetString(text.Slice(i + 1, 2)), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                name.Append((char)b);
                i += 3;
            }
            else
            {
                name.Append((char)text[i++]);
            }
        }

        return (name.ToString(), i);
    }

    /// <summary>A non-negative integer after white space and comments, with the position after it.</summary>
    private static (long Value, int End)? Integer(ReadOnlySpan<byte> text, int start)
    {
        var i = SkipWhiteSpaceAndComments(text, start);
        var digits = i;
        long value = 0;
        while (i < text.Length && text[i] is >= (byte)'0' and <= (byte)'9' && i - digits < 18)
        {
            value = (value * 10) + (text[i++] - '0');
        }

        return i > digits ? (value, i) : null;
    }

    private static bool StartsWithKeyword(ReadOnlySpan<byte> file, int offset, ReadOnlySpan<byte> keyword)
    {
        var i = SkipWhiteSpaceAndComments(file, offset);
        return file[i..].StartsWith(keyword) && (i + keyword.Length == file.Length || IsWhiteSpace(file[i + keyword.Length]) || IsDelimiter(file[i + keyword.Length]));
    }

    private static int SkipWhiteSpaceAndComments(ReadOnlySpan<byte> text, int i)
    {
        while (i < text.Length && (IsWhiteSpace(text[i]) || text[i] == '%'))
        {
            if (text[i] == '%')
            {
                while (i < text.Length && text[i] is not ((byte)'\r' or (byte)'\n'))
                {
                    i++;
                }
            }
            else
            {
                i++;
            }
        }

        return i;
    }

    private static bool IsWhiteSpace(byte b) => b is 0 or 9 or 10 or 12 or 13 or 32;

    private static bool IsDelimiter(byte b) => b is (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%';
}
