using ELicence.Core.Keys;

namespace ELicence.Functions.Keys;

/// <summary>The public keys of the service (RFC 7517 JWK Set), for anyone to verify credentials and receipts.</summary>
public sealed class KeyFunctions(HttpApi api, IKeyRingProvider keys)
{
    /// <summary>Served at the site root (the route prefix is empty), where JOSE tooling looks for it.</summary>
    [Function("Jwks")]
    public Task<IActionResult> Jwks([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/jwks.json")] HttpRequest req) =>
        api.RunAnonymousAsync(req, async () =>
        {
            var ring = await keys.GetAsync(req.HttpContext.RequestAborted);
            return ApiResults.Json(ring.ToJwks(), StatusCodes.Status200OK, new Dictionary<string, string>
            {
                ["Cache-Control"] = "public, max-age=300",
                ["Access-Control-Allow-Origin"] = "*",
            });
        });
}
