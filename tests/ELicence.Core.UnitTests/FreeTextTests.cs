using ELicence.Core.Text;

namespace ELicence.Core.UnitTests;

public class FreeTextTests
{
    [Fact]
    public void Text_is_normalised_to_NFC_and_trimmed()
    {
        Assert.Equal("Caf\u00e9 Ltd.", FreeText.Required("name", "  Cafe\u0301 Ltd. ", TextKind.Name, 100));
    }

    [Theory]
    [InlineData("\u0000", "U+0000")]
    [InlineData("\u001b", "U+001B")]
    [InlineData("\u0007", "U+0007")]
    [InlineData("\u0085", "U+0085")] // C1
    [InlineData("\u007f", "U+007F")]
    [InlineData("\t", "U+0009")]
    [InlineData("\u202a", "U+202A")]
    [InlineData("\u202e", "U+202E")]
    [InlineData("\u2066", "U+2066")]
    [InlineData("\u2069", "U+2069")]
    public void Controls_and_bidirectional_overrides_are_refused_everywhere_naming_the_code_point(string bad, string codePoint)
    {
        foreach (var kind in Enum.GetValues<TextKind>())
        {
            var problem = Assert.Throws<ProblemException>(() => FreeText.Required("reason", "违法" + bad + "经营", kind, 100));
            Assert.Equal("reason", Assert.Single(problem.Errors).Field);
            Assert.Contains(codePoint, problem.Errors[0].Message, StringComparison.Ordinal);
            Assert.Contains("position 3", problem.Errors[0].Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_line_break_is_allowed_only_in_multi_line_fields()
    {
        Assert.Equal("第一行\n第二行", FreeText.Required("reason", "第一行\n第二行", TextKind.MultiLine, 100));
        Assert.Throws<ProblemException>(() => FreeText.Required("domicile", "第一行\n第二行", TextKind.Line, 100));
        Assert.Throws<ProblemException>(() => FreeText.Required("reason", "第一行\r\n第二行", TextKind.MultiLine, 100));
    }

    [Theory]
    [InlineData("\u200b", false)]
    [InlineData("\u200c", true)]
    [InlineData("\u200d", true)]
    [InlineData("\u2060", false)]
    [InlineData("\ufeff", false)]
    public void Zero_width_characters_are_refused_in_names_and_identifiers_and_only_joiners_pass_in_prose(string zeroWidth, bool allowedInProse)
    {
        Assert.Throws<ProblemException>(() => FreeText.Required("name", "天山" + zeroWidth + "果业", TextKind.Name, 100));
        Assert.Throws<ProblemException>(() => FreeText.Required("number", "JY1653" + zeroWidth + "001", TextKind.Identifier, 100));
        if (allowedInProse)
        {
            Assert.NotNull(FreeText.Required("grounds", "欠款" + zeroWidth + "未结清", TextKind.MultiLine, 100));
        }
        else
        {
            Assert.Throws<ProblemException>(() => FreeText.Required("grounds", "欠款" + zeroWidth + "未结清", TextKind.MultiLine, 100));
        }
    }

    [Theory]
    [InlineData("\u200e")] // LRM
    [InlineData("\u061c")] // ALM
    [InlineData("\u2028")] // line separator
    [InlineData("\u00ad")] // soft hyphen
    [InlineData("\u3164")] // Hangul filler
    [InlineData("\u180e")]
    [InlineData("\u2061")]
    [InlineData("\ufe0f")] // variation selector
    [InlineData("\udb40\udc41")] // TAG LATIN CAPITAL LETTER A
    [InlineData("\ud835\udc00")] // MATHEMATICAL BOLD CAPITAL A
    public void Invisible_and_disguising_characters_are_refused_in_names(string bad)
    {
        var problem = Assert.Throws<ProblemException>(() => FreeText.Required("name", "测试" + bad + "公司", TextKind.Name, 100));

        Assert.Contains("position 3", problem.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Joiners_stay_allowed_in_prose()
    {
        Assert.NotNull(FreeText.Required("grounds", "家人\u200d👨\u200d👩", TextKind.MultiLine, 100));
        Assert.Throws<ProblemException>(() => FreeText.Required("grounds", "欠款\u00ad未结清", TextKind.MultiLine, 100));
    }

    [Theory]
    [InlineData("Аcme Trading Co.", "Cyrillic", "Latin")] // Cyrillic А
    [InlineData("阿图什市天山果业有限公司о", "Cyrillic", "Han")]
    [InlineData("Αtushi Fruit", "Greek", "Latin")] // Greek Alpha
    public void Names_that_mix_look_alike_scripts_are_refused(string name, string lookAlike, string other)
    {
        var problem = Assert.Throws<ProblemException>(() => FreeText.Required("name", name, TextKind.Name, 100));

        Assert.Contains($"Mixes {lookAlike} letters", problem.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains(other, problem.Errors[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("JY16530010А", "Cyrillic")] // Cyrillic А at the end
    [InlineData("ЈY1653001", "Cyrillic")] // Cyrillic Ј
    [InlineData("РХ-2026-001X", "Cyrillic")] // Cyrillic Р Х before a Latin X
    [InlineData("JΥ1653001", "Greek")] // Greek Upsilon
    [InlineData("食品经营许可证Ј16530010001", "Cyrillic")] // among Han
    public void Identifiers_that_mix_look_alike_scripts_are_refused(string number, string lookAlike)
    {
        var problem = Assert.Throws<ProblemException>(() => FreeText.Required("number", number, TextKind.Identifier, 100));

        Assert.Equal("number", problem.Errors[0].Field);
        Assert.Contains($"Mixes {lookAlike} letters", problem.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("identifiers", problem.Errors[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("JY16530010001")]
    [InlineData("JY 1653-0010/001")]
    [InlineData("ЛО-77-01-012345")] // a Cyrillic number alone is one script
    [InlineData("新食经字2026第001号")]
    public void Identifiers_in_one_script_pass(string number)
    {
        Assert.Equal(number, FreeText.Required("number", number, TextKind.Identifier, 100));
    }

    [Theory]
    [InlineData("阿图什市天山果业有限公司")]
    [InlineData("阿图什市ABC科技有限公司")] // Latin among Han is how Chinese names write brands
    [InlineData("艾力·买买提")]
    [InlineData("Иван Петров")] // one script alone is fine
    [InlineData("ئەلى مەمەت")] // Uyghur in Arabic script
    [InlineData("Ｔｉａｎｓｈａｎ 天山")]
    public void Real_names_in_one_script_or_in_Han_with_Latin_pass(string name)
    {
        Assert.Equal(name, FreeText.Required("name", name, TextKind.Name, 100));
    }

    [Fact]
    public void A_lone_surrogate_is_not_text()
    {
        var problem = Assert.Throws<ProblemException>(() => FreeText.Required("name", "天山\ud800果业", TextKind.Name, 100));

        Assert.Contains("U+D800", problem.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Length_is_counted_after_normalisation_and_blank_is_missing()
    {
        Assert.Throws<ProblemException>(() => FreeText.Required("name", new string('名', 101), TextKind.Name, 100));
        var blank = Assert.Throws<ProblemException>(() => FreeText.Required("name", "  \n ", TextKind.MultiLine, 100));
        Assert.Contains("Required", blank.Errors[0].Message, StringComparison.Ordinal);
        var errors = new List<FieldError>();
        Assert.Null(FreeText.Check(errors, "english.name", null, TextKind.Name, 100, required: false));
        Assert.Empty(errors);
    }
}
