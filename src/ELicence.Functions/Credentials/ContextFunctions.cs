using ELicence.Core.Credentials;

namespace ELicence.Functions.Credentials;

/// <summary>The JSON-LD context that defines the licence credential's terms, for anyone processing credentials as JSON-LD.</summary>
public sealed class ContextFunctions(HttpApi<ContextFunctions> api, IssuerOptions issuer)
{
    /// <summary>Versioned and never changed, so cacheable for a year.</summary>
    [Function("GetLicenceContext")]
    [Endpoint(Access.Anyone, Cache = CachePolicy.Immutable, Cors = true)]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = LicenceContext.Route)] HttpRequest req) =>
        api.RunAsync(req, call => Task.FromResult<IActionResult>(ApiResults.Text(LicenceContext.Document(issuer), LicenceContext.MediaType)));
}
