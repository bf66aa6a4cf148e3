using ELicence.Documents;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ELicence.Functions.Documents;

/// <summary>The page's language: <c>?lang=en|zh</c> first, else the preferred of Chinese and English in Accept-Language, else Chinese.</summary>
public static class PageLanguage
{
    public static DocumentLanguage Of(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var asked = request.Query["lang"].ToString();
        if (asked.StartsWith("en", StringComparison.OrdinalIgnoreCase))
        {
            return DocumentLanguage.English;
        }

        if (asked.StartsWith("zh", StringComparison.OrdinalIgnoreCase))
        {
            return DocumentLanguage.Chinese;
        }

        if (StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptLanguage.OfType<string>().ToList(), out var ranges))
        {
            var best = ranges
                .Where(r => r.Quality is not 0)
                .Select((r, i) => (Tag: r.Value.Value ?? "", Quality: r.Quality ?? 1, Order: i))
                .Where(r => r.Tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase) || r.Tag.StartsWith("en", StringComparison.OrdinalIgnoreCase))
                .OrderByDescending(r => r.Quality).ThenBy(r => r.Order)
                .FirstOrDefault();
            if (best.Tag?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true)
            {
                return DocumentLanguage.English;
            }
        }

        return DocumentLanguage.Chinese;
    }

    public static string Tag(DocumentLanguage language) => language == DocumentLanguage.Chinese ? "zh-CN" : "en";

    public static string Query(DocumentLanguage language) => language == DocumentLanguage.Chinese ? "zh" : "en";
}
