using ELicence.Core.Credentials;

namespace ELicence.Functions.Credentials;

/// <summary>The JSON-LD context that defines the licence credential's terms, for anyone processing credentials as JSON-LD.</summary>
public sealed class ContextFunctions(HttpApi api, IssuerOptions issuer)
{
    /// <summary>Versioned and never changed, so cacheable for a year.</summary>
    [Function("GetLicenceContext")]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = LicenceContext.Route)] HttpRequest req) =>
        api.RunAnonymousAsync(req, () => Task.FromResult<IActionResult>(ApiResults.Text(LicenceContext.Document(issuer), LicenceContext.MediaType, new Dictionary<string, string>
        {
            ["Cache-Control"] = "public, max-age=31536000, immutable",
            ["Access-Control-Allow-Origin"] = "*",
        })));
}
