using System.Security.Cryptography;
using System.Text;

namespace ELicence.Documents.Pages;

/// <summary>
/// The pages' one stylesheet (<c>Pages/site.css</c>, embedded), inlined in every page and allowed by its SHA-256 in the
/// Content-Security-Policy: no inline script or style attribute can run, and no request is spent on a stylesheet.
/// </summary>
public static class PageStyle
{
    public static string Css { get; } = Load();

    /// <summary>The pages' Content-Security-Policy: nothing but this stylesheet, same-origin images and form posts.</summary>
    public static string ContentSecurityPolicy { get; } =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Css)))}'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static string Load()
    {
        using var stream = typeof(PageStyle).Assembly.GetManifestResourceStream("ELicence.Documents.Pages.site.css")
            ?? throw new InvalidOperationException("Pages/site.css is not embedded in ELicence.Documents.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().TrimEnd();
    }
}
