using ELicence.Documents;
using ELicence.Documents.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ELicence.Functions.Documents;

/// <summary>
/// A page's language: <c>?lang=</c> first, else the most preferred language of Accept-Language that the pages are written
/// in (<see cref="PageCulture.All"/>), else Chinese.
/// </summary>
public static class PageLanguage
{
    public static PageCulture Of(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (PageCulture.Find(request.Query["lang"].ToString()) is { } asked)
        {
            return asked;
        }

        if (StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptLanguage.OfType<string>().ToList(), out var ranges))
        {
            var best = ranges
                .Where(r => r.Quality is not 0)
                .Select((r, i) => (Culture: PageCulture.Find(r.Value.Value), Quality: r.Quality ?? 1, Order: i))
                .Where(r => r.Culture is not null)
                .OrderByDescending(r => r.Quality).ThenBy(r => r.Order)
                .FirstOrDefault();
            if (best.Culture is not null)
            {
                return best.Culture;
            }
        }

        return PageCulture.Chinese;
    }
}
