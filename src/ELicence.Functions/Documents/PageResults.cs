using System.Security.Cryptography;
using System.Text;
using ELicence.Documents.Pages;

namespace ELicence.Functions.Documents;

/// <summary>A rendered page as an HTTP answer: HTML, the CSP and the other security headers, an ETag of the bytes and a short cache.</summary>
public static class PageResults
{
    public const string ContentType = "text/html; charset=utf-8";

    /// <summary>How long a cacheable page may be reused; a licence's state shows within this.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    public static BodyResult Result(string html, int status, bool cacheable)
    {
        var bytes = Encoding.UTF8.GetBytes(html);
        var headers = new Dictionary<string, string>
        {
            ["Content-Security-Policy"] = PageStyle.ContentSecurityPolicy,
            ["Referrer-Policy"] = "no-referrer",
            ["X-Frame-Options"] = "DENY",
            ["Vary"] = "Accept-Language",
            ["Cache-Control"] = cacheable ? CacheControl.PublicFor(MaxAge) : CacheControl.Of(CachePolicy.NoStore)!,
        };
        if (cacheable)
        {
            headers["ETag"] = ETagOf(bytes);
        }

        return new BodyResult(status, ContentType, bytes, headers);
    }

    /// <summary>200 with the page, or 304 when the client's If-None-Match names the same bytes.</summary>
    public static IActionResult Cached(HttpRequest request, string html)
    {
        ArgumentNullException.ThrowIfNull(request);
        var etag = ETagOf(Encoding.UTF8.GetBytes(html));
        return request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag || t.Trim() == "W/" + etag))
            ? new NotModified(etag)
            : Result(html, StatusCodes.Status200OK, cacheable: true);
    }

    public static string ETagOf(byte[] bytes) => $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}\"";

    private sealed class NotModified(string etag) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            context.HttpContext.Response.StatusCode = StatusCodes.Status304NotModified;
            context.HttpContext.Response.Headers.ETag = etag;
            context.HttpContext.Response.Headers.CacheControl = CacheControl.PublicFor(MaxAge);
            return Task.CompletedTask;
        }
    }
}
