using System.Globalization;
using System.Resources;

namespace ELicence.Documents.Pages;

/// <summary>
/// The user-facing texts of the pages in one language: <c>Texts.resx</c> holds the Chinese (the neutral language),
/// <c>Texts.{culture}.resx</c> each other language. A text missing from a language falls back to Chinese.
/// </summary>
public sealed class PageTexts(CultureInfo culture)
{
    private static readonly ResourceManager Resources = new("ELicence.Documents.Pages.Texts", typeof(PageTexts).Assembly);

    public CultureInfo Culture { get; } = culture;

    /// <summary>The text named <paramref name="key"/>; a key no resource file has is a programming error.</summary>
    public string this[string key] => Find(key) ?? throw new KeyNotFoundException($"No page text '{key}' in Pages/Texts.resx.");

    /// <summary>The text with its <c>{0}</c>… placeholders filled, formatted for this language.</summary>
    public string Format(string key, params object?[] arguments) => string.Format(Culture, this[key], arguments);

    /// <summary>The text named <paramref name="key"/>, or null: for keys made from data, such as a reason code.</summary>
    public string? Find(string key) => Resources.GetString(key, Culture);

    /// <summary>Whether <paramref name="culture"/> has texts of its own (a <c>Texts.{culture}.resx</c>), not only the fallback's.</summary>
    internal static bool HasOwnTexts(CultureInfo culture) => Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false) is not null;
}
