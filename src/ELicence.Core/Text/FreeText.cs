using System.Globalization;
using System.Text;

namespace ELicence.Core.Text;

/// <summary>What a free-text field holds, which decides what the text policy lets through.</summary>
public enum TextKind
{
    /// <summary>A name of a business, person or authority: one line, no invisible characters, no look-alike script mixing.</summary>
    Name,

    /// <summary>An identifier such as a permit number: one line, no invisible characters, no look-alike script mixing.</summary>
    Identifier,

    /// <summary>One line of prose (a domicile, a contact).</summary>
    Line,

    /// <summary>Prose that may run over several lines (a reason, a business scope, grounds of an objection).</summary>
    MultiLine,
}

/// <summary>
/// The one policy for every free-text field a caller sends: Unicode NFC, trimmed, a maximum length, and none of the
/// characters that hide or disguise text from the people who read it later (banks read these in verification answers):
/// C0/C1 controls (a newline only in multi-line fields), bidirectional overrides and isolates, zero-width characters in
/// names and identifiers, other invisible format characters, variation selectors, fillers and mathematical letters in
/// names and identifiers, and names and identifiers that mix look-alike scripts (Cyrillic or Greek letters among Latin or Han).
/// </summary>
public static class FreeText
{
    /// <summary>Validates a required field; throws a validation problem naming the field.</summary>
    public static string Required(string field, string? value, TextKind kind, int maxLength)
    {
        var errors = new List<FieldError>();
        return Check(errors, field, value, kind, maxLength, required: true) ?? throw ProblemException.Invalid(errors);
    }

    /// <summary>Validates a field and returns its normalised text; null (with an error added, when required) if it is absent or bad.</summary>
    public static string? Check(List<FieldError> errors, string field, string? value, TextKind kind, int maxLength, bool required = true)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (value is null || value.AsSpan().Trim().IsEmpty)
        {
            if (required)
            {
                errors.Add(new FieldError(field, "Required and must not be blank."));
            }

            return null;
        }

        if (FirstInvalidSurrogate(value) is { } bad)
        {
            errors.Add(new FieldError(field, $"Is not valid Unicode: a lone surrogate U+{(int)value[bad]:X4} at position {bad + 1}."));
            return null;
        }

        var text = value.Normalize(NormalizationForm.FormC).Trim();
        if (text.Length > maxLength)
        {
            errors.Add(new FieldError(field, $"At most {maxLength} characters; got {text.Length}."));
            return null;
        }

        var problem = ForbiddenCharacter(text, kind) ?? (kind is TextKind.Name or TextKind.Identifier ? MixedScripts(text, kind) : null);
        if (problem is not null)
        {
            errors.Add(new FieldError(field, problem));
            return null;
        }

        return text;
    }

    private static int? FirstInvalidSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return i;
            }
        }

        return null;
    }

    private static string? ForbiddenCharacter(string text, TextKind kind)
    {
        var position = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            position++;
            var c = rune.Value;
            var why = c switch
            {
                '\n' when kind == TextKind.MultiLine => null,
                '\n' => "a line break is allowed only in multi-line fields",
                0x2028 or 0x2029 => "line and paragraph separators are not accepted; a multi-line field takes a newline",
                < 0x20 or 0x7F or (>= 0x80 and <= 0x9F) => "control characters are not accepted",
                (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069) or 0x200E or 0x200F or 0x061C => "bidirectional overrides, isolates and marks are not accepted",
                0x200B or 0x200C or 0x200D or 0x2060 or 0xFEFF when kind is TextKind.Name or TextKind.Identifier => "zero-width characters are not accepted in names and identifiers",
                // Joiners are how some scripts and emoji are written; every other format character only hides text.
                _ when Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format && (kind is TextKind.Name or TextKind.Identifier || c is not (0x200C or 0x200D)) =>
                    "invisible formatting characters are not accepted",
                (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF) or 0x115F or 0x1160 or 0x3164 or 0xFFA0 when kind is TextKind.Name or TextKind.Identifier =>
                    "variation selectors and filler characters are not accepted in names and identifiers",
                >= 0x1D400 and <= 0x1D7FF when kind is TextKind.Name or TextKind.Identifier => "mathematical letters look like ordinary ones and are not accepted in names and identifiers",
                _ => null,
            };
            if (why is not null)
            {
                return string.Create(CultureInfo.InvariantCulture, $"Contains U+{c:X4}{Describe(c)} at position {position}: {why}.");
            }
        }

        return null;
    }

    private static string Describe(int c) => c switch
    {
        0x00 => " (NULL)",
        0x07 => " (BELL)",
        0x09 => " (TAB)",
        0x0D => " (CARRIAGE RETURN)",
        0x1B => " (ESCAPE)",
        0x202A => " (LEFT-TO-RIGHT EMBEDDING)",
        0x202B => " (RIGHT-TO-LEFT EMBEDDING)",
        0x202C => " (POP DIRECTIONAL FORMATTING)",
        0x202D => " (LEFT-TO-RIGHT OVERRIDE)",
        0x202E => " (RIGHT-TO-LEFT OVERRIDE)",
        0x2066 => " (LEFT-TO-RIGHT ISOLATE)",
        0x2067 => " (RIGHT-TO-LEFT ISOLATE)",
        0x2068 => " (FIRST STRONG ISOLATE)",
        0x2069 => " (POP DIRECTIONAL ISOLATE)",
        0x200E => " (LEFT-TO-RIGHT MARK)",
        0x200F => " (RIGHT-TO-LEFT MARK)",
        0x061C => " (ARABIC LETTER MARK)",
        0x2028 => " (LINE SEPARATOR)",
        0x2029 => " (PARAGRAPH SEPARATOR)",
        0x00AD => " (SOFT HYPHEN)",
        0x3164 => " (HANGUL FILLER)",
        0x200B => " (ZERO WIDTH SPACE)",
        0x200C => " (ZERO WIDTH NON-JOINER)",
        0x200D => " (ZERO WIDTH JOINER)",
        0x2060 => " (WORD JOINER)",
        0xFEFF => " (ZERO WIDTH NO-BREAK SPACE)",
        _ => "",
    };

    private enum Script
    {
        Other,
        Latin,
        Han,
        Cyrillic,
        Greek,
    }

    /// <summary>
    /// Cyrillic and Greek letters look like Latin ones (а/a, о/o, Α/A, Р/P): in a name or an identifier (a permit number
    /// "JY1650…" written with a Cyrillic "Ј") beside Latin or Han they disguise it.
    /// </summary>
    private static string? MixedScripts(string text, TextKind kind)
    {
        (int Code, int Position)? firstLookAlike = null;
        Script lookAlikeScript = Script.Other, otherScript = Script.Other;
        var position = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            position++;
            if (!Rune.IsLetter(rune))
            {
                continue;
            }

            switch (ScriptOf(rune.Value))
            {
                case Script.Cyrillic or Script.Greek when firstLookAlike is null:
                    firstLookAlike = (rune.Value, position);
                    lookAlikeScript = ScriptOf(rune.Value);
                    break;
                case Script.Cyrillic or Script.Greek when ScriptOf(rune.Value) != lookAlikeScript:
                    otherScript = ScriptOf(rune.Value);
                    break;
                case Script.Latin or Script.Han when otherScript == Script.Other:
                    otherScript = ScriptOf(rune.Value);
                    break;
            }
        }

        return firstLookAlike is { } f && otherScript != Script.Other
            ? string.Create(CultureInfo.InvariantCulture, $"Mixes {lookAlikeScript} letters (U+{f.Code:X4} at position {f.Position}) with {otherScript} letters: {(kind == TextKind.Name ? "names" : "identifiers")} that mix look-alike scripts are not accepted.")
            : null;
    }

    private static Script ScriptOf(int c) => c switch
    {
        (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= 0x00C0 and <= 0x024F) or (>= 0x1E00 and <= 0x1EFF) or (>= 0xFF21 and <= 0xFF3A) or (>= 0xFF41 and <= 0xFF5A) => Script.Latin,
        (>= 0x0370 and <= 0x03FF) or (>= 0x1F00 and <= 0x1FFF) => Script.Greek,
        (>= 0x0400 and <= 0x052F) or (>= 0x1C80 and <= 0x1C8F) or (>= 0x2DE0 and <= 0x2DFF) or (>= 0xA640 and <= 0xA69F) => Script.Cyrillic,
        (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x20000 and <= 0x3134F) => Script.Han,
        _ => Script.Other,
    };
}
