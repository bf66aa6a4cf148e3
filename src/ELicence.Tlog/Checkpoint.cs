using System.Globalization;

namespace ELicence.Tlog;

/// <summary>A C2SP tlog-checkpoint body (c2sp.org/tlog-checkpoint): origin, tree size, base64 root hash.</summary>
public sealed record Checkpoint(string Origin, long Size, byte[] RootHash)
{
    /// <summary>The note text, ending in a newline; no extension lines (monitors could not audit them).</summary>
    public string Text =>
        string.Create(CultureInfo.InvariantCulture, $"{Origin}\n{Size}\n{Convert.ToBase64String(RootHash)}\n");

    /// <summary>Parses a verified note text; extension lines are allowed and ignored.</summary>
    public static bool TryParse(string text, out Checkpoint? checkpoint)
    {
        ArgumentNullException.ThrowIfNull(text);
        checkpoint = null;
        if (!text.EndsWith('\n'))
        {
            return false;
        }

        var lines = text[..^1].Split('\n');
        if (lines.Length < 3 || lines.Any(l => l.Length == 0)
            || !IsDecimal(lines[1]) || !long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || !SignedNote.TryBase64(lines[2], out var root) || root.Length != MerkleHash.Size)
        {
            return false;
        }

        checkpoint = new Checkpoint(lines[0], size, root);
        return true;
    }

    /// <summary>Verifies <paramref name="note"/> with <paramref name="verifier"/> and parses it; the origin must be <paramref name="origin"/>.</summary>
    public static bool TryOpen(string note, NoteVerifier verifier, string origin, out Checkpoint? checkpoint)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        checkpoint = null;
        return verifier.TryOpen(note, out var text) && TryParse(text, out checkpoint) && checkpoint!.Origin == origin;
    }

    // ASCII decimal with no leading zeroes (unless "0").
    private static bool IsDecimal(string s) =>
        s.Length is > 0 and <= 19 && s.All(char.IsAsciiDigit) && (s == "0" || s[0] != '0');
}
