using System.Globalization;
using System.Reflection;


namespace ELicence.Documents.Pages;

/// <summary>
/// A language the pages are written in: Chinese (the neutral resources) and every language with a <c>Texts.{culture}.resx</c>
/// (found as the satellite assemblies beside this one), so adding a language is adding its resource files.
/// </summary>
public sealed class PageCulture
{
    private PageCulture(CultureInfo culture)
    {
        Culture = culture;
        Texts = new PageTexts(culture);
    }

    /// <summary>The default and neutral language.</summary>
    public static PageCulture Chinese { get; } = new(CultureInfo.GetCultureInfo("zh-CN"));

    /// <summary>Every language of the pages, Chinese first.</summary>
    public static IReadOnlyList<PageCulture> All { get; } = [Chinese, .. Discover()];

    public CultureInfo Culture { get; }

    public PageTexts Texts { get; }

    /// <summary>The <c>lang</c> attribute (BCP 47): <c>zh-CN</c>, <c>en</c>.</summary>
    public string Tag => Culture.Name;

    /// <summary>The value of the <c>?lang=</c> query that selects this language: <c>zh</c>, <c>en</c>.</summary>
    public string Query => Culture.TwoLetterISOLanguageName;

    /// <summary>
    /// Which of the register's two renderings this language shows: the registrar records a licence in Chinese and in
    /// English, so every language other than Chinese shows the English one.
    /// </summary>
    public DocumentLanguage Data => this == Chinese ? DocumentLanguage.Chinese : DocumentLanguage.English;

    /// <summary>The language whose tag <paramref name="tag"/> starts with its query code (<c>en</c>, <c>en-GB</c>, <c>english</c>), or null.</summary>
    public static PageCulture? Find(string? tag) =>
        string.IsNullOrEmpty(tag) ? null : All.FirstOrDefault(c => tag.StartsWith(c.Query, StringComparison.OrdinalIgnoreCase));

    public override string ToString() => Tag;

    private static IEnumerable<PageCulture> Discover()
    {
        var folder = Path.GetDirectoryName(typeof(PageCulture).Assembly.Location);
        if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
        {
            yield break;
        }

        var satellite = typeof(PageCulture).Assembly.GetName().Name + ".resources.dll";
        foreach (var directory in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
        {
            if (!File.Exists(Path.Combine(directory, satellite)) || CultureNamed(Path.GetFileName(directory)) is not { } culture)
            {
                continue;
            }

            if (culture.TwoLetterISOLanguageName != "zh" && PageTexts.HasOwnTexts(culture))
            {
                yield return new PageCulture(culture);
            }
        }
    }

    private static CultureInfo? CultureNamed(string name)
    {
        try
        {
            return CultureInfo.GetCultureInfo(name, predefinedOnly: true);
        }
        catch (CultureNotFoundException)
        {
            return null;
        }
    }
}
