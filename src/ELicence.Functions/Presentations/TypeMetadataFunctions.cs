using System.Globalization;
using ELicence.Core.Credentials;
using ELicence.Core.Keys;
using ELicence.Core.Presentations;

namespace ELicence.Functions.Presentations;

/// <summary>What a wallet or verifier fetches to understand an SD-JWT VC of this issuer: the type metadata at the <c>vct</c> URL and the JWT VC issuer metadata.</summary>
public sealed class TypeMetadataFunctions(HttpApi api, IssuerOptions issuer, KeyRotationOptions keys)
{
    private static readonly Dictionary<string, string> Public = new()
    {
        ["Cache-Control"] = "public, max-age=3600",
        ["Access-Control-Allow-Origin"] = "*",
    };

    /// <summary>SD-JWT VC Type Metadata of the business licence (draft-ietf-oauth-sd-jwt-vc §6).</summary>
    [Function("GetLicenceTypeMetadata")]
    public Task<IActionResult> TypeMetadata([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "vct/business-licence")] HttpRequest req) =>
        api.RunAnonymousAsync(req, () => Task.FromResult<IActionResult>(ApiResults.Json(LicenceTypeMetadata.For(issuer), StatusCodes.Status200OK, Public)));

    /// <summary>JWT VC Issuer Metadata (draft-ietf-oauth-sd-jwt-vc §5): the issuer and its JWKS, cached as the JWKS is.</summary>
    [Function("GetJwtVcIssuerMetadata")]
    public Task<IActionResult> IssuerMetadata([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/jwt-vc-issuer")] HttpRequest req) =>
        api.RunAnonymousAsync(req, () => Task.FromResult<IActionResult>(ApiResults.Json(JwtVcIssuerMetadata.For(issuer), StatusCodes.Status200OK, new Dictionary<string, string>
        {
            ["Cache-Control"] = string.Create(CultureInfo.InvariantCulture, $"public, max-age={(int)keys.JwksMaxAge.TotalSeconds}"),
            ["Access-Control-Allow-Origin"] = "*",
        })));
}
