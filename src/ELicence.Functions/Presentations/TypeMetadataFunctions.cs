using ELicence.Core.Credentials;
using ELicence.Core.Keys;
using ELicence.Core.Presentations;

namespace ELicence.Functions.Presentations;

/// <summary>What a wallet or verifier fetches to understand an SD-JWT VC of this issuer: the type metadata at the <c>vct</c> URL and the JWT VC issuer metadata.</summary>
public sealed class TypeMetadataFunctions(HttpApi<TypeMetadataFunctions> api, IssuerOptions issuer, KeyRotationOptions keys)
{
    /// <summary>SD-JWT VC Type Metadata of the business licence (draft-ietf-oauth-sd-jwt-vc §6).</summary>
    [Function("GetLicenceTypeMetadata")]
    [Endpoint(Access.Anyone, Cors = true)]
    public Task<IActionResult> TypeMetadata([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "vct/business-licence")] HttpRequest req) =>
        api.RunAsync(req, call =>
        {
            call.CacheFor(TimeSpan.FromHours(1));
            return Task.FromResult<IActionResult>(ApiResults.Json(LicenceTypeMetadata.For(issuer)));
        });

    /// <summary>JWT VC Issuer Metadata (draft-ietf-oauth-sd-jwt-vc §5): the issuer and its JWKS, cached as the JWKS is.</summary>
    [Function("GetJwtVcIssuerMetadata")]
    [Endpoint(Access.Anyone, Cors = true)]
    public Task<IActionResult> IssuerMetadata([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = ".well-known/jwt-vc-issuer")] HttpRequest req) =>
        api.RunAsync(req, call =>
        {
            call.CacheFor(keys.JwksMaxAge);
            return Task.FromResult<IActionResult>(ApiResults.Json(JwtVcIssuerMetadata.For(issuer)));
        });
}
