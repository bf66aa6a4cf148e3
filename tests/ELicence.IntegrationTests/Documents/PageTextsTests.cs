using System.Text.RegularExpressions;
using System.Xml.Linq;
using ELicence.Documents.Pages;

namespace ELicence.IntegrationTests.Documents;

/// <summary>The pages' texts are complete: every text a page asks for is in the resource files, in every language.</summary>
public partial class PageTextsTests
{
    private static readonly string Pages = Path.Combine(RepositoryFiles.Root(), "src", "ELicence.Documents", "Pages");

    [Fact]
    public void Every_language_has_every_text_of_the_Chinese_resource_file()
    {
        var chinese = Keys(Path.Combine(Pages, "Texts.resx"));
        var languages = Directory.GetFiles(Pages, "Texts.*.resx");

        Assert.NotEmpty(languages);
        foreach (var file in languages)
        {
            Assert.Equal(chinese.Order(StringComparer.Ordinal), Keys(file).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Every_text_the_pages_and_the_page_functions_ask_for_is_in_the_resource_files()
    {
        var keys = Keys(Path.Combine(Pages, "Texts.resx"));
        var sources = Directory.GetFiles(Pages, "*.razor", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(RepositoryFiles.Root(), "src", "ELicence.Functions", "Documents"), "*.cs"));

        var asked = sources.SelectMany(f => TextUse().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Groups[1].Value))).ToList();

        Assert.NotEmpty(asked);
        Assert.DoesNotContain(asked, a => !keys.Contains(a.Key));
    }

    [Fact]
    public void The_English_texts_are_served_in_English_and_a_page_language_is_found_by_its_code()
    {
        var english = PageCulture.Find("en-GB");

        Assert.NotNull(english);
        Assert.Equal("en", english.Tag);
        Assert.Equal("Valid", english.Texts["StateValid"]);
        Assert.Equal("有效", PageCulture.Chinese.Texts["StateValid"]);
        Assert.Same(PageCulture.Chinese, PageCulture.Find("zh-Hans"));
        Assert.Throws<KeyNotFoundException>(() => english.Texts["NoSuchText"]);
    }

    private static HashSet<string> Keys(string resx) =>
        [.. XDocument.Load(resx).Root!.Elements("data").Select(d => (string)d.Attribute("name")!)];

    [GeneratedRegex(@"(?:\bT|[Tt]exts)(?:\[|\.Format\()""([^""]+)""")]
    private static partial Regex TextUse();
}
