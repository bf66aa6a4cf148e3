using ELicence.Documents.Pages;

namespace ELicence.Documents.Pages.Verification;

/// <summary>The public verifier's pages as HTML, each rendered from its Razor component in the asked language.</summary>
public sealed class VerificationPages(PageRenderer renderer, VerifierSite site)
{
    public Task<string> StartAsync(PageCulture culture) => RenderAsync<StartPage>(culture);

    public Task<string> FoundAsync(PageCulture culture, string query, IReadOnlyList<RegisterSearchHit> hits) =>
        RenderAsync<FoundPage>(culture, (nameof(FoundPage.Query), query), (nameof(FoundPage.Hits), hits));

    /// <param name="copyQuery">The <c>v</c>/<c>d</c> query of a printed copy's QR link, kept by the language switch.</param>
    public Task<string> LicenceAsync(PageCulture culture, PublicLicencePage page, string? copyQuery) =>
        RenderAsync<LicencePage>(culture, (nameof(LicencePage.Page), page), (nameof(LicencePage.CopyQuery), copyQuery));

    public Task<string> CheckedAsync(PageCulture culture, PublicCredentialCheck check, bool fromPdf) =>
        RenderAsync<CheckedPage>(culture, (nameof(CheckedPage.Check), check), (nameof(CheckedPage.FromPdf), fromPdf));

    public Task<string> ErrorAsync(PageCulture culture, int status, string? detail) =>
        RenderAsync<ErrorPage>(culture, (nameof(ErrorPage.Status), status), (nameof(ErrorPage.Detail), detail));

    private Task<string> RenderAsync<TPage>(PageCulture culture, params (string Name, object? Value)[] parameters)
        where TPage : Microsoft.AspNetCore.Components.IComponent
    {
        var all = new Dictionary<string, object?> { ["Culture"] = culture, ["Site"] = site };
        foreach (var (name, value) in parameters)
        {
            all[name] = value;
        }

        return renderer.RenderAsync<TPage>(all);
    }
}
