using ELicence.Core.Presentations;

namespace ELicence.Functions.Presentations;

/// <summary>The licence as an SD-JWT VC for the business's wallet, and quick-mode presentations for one verifier.</summary>
public sealed class PresentationFunctions(HttpApi<PresentationFunctions> api, SdJwtVcIssuer issuance, QuickPresentations quick)
{

    /// <summary>Wallet mode: the SD-JWT VC bound to the business's own public key (JWK), with every disclosure.</summary>
    [Function("IssueSdJwtVc")]
    [Endpoint(Access.Holder, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> IssueSdJwtVc([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/sd-jwt-vcs")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(await issuance.IssueForWalletAsync(call.Caller, code, await call.ReadJsonAsync<WalletCredentialRequest>(), call.Cancellation)));

    /// <summary>Quick mode: a presentation for one verifier, valid five minutes, as text and as a QR PNG (base64).</summary>
    [Function("CreatePresentation")]
    [Endpoint(Access.Holder, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> CreatePresentation([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/presentations")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(await quick.CreateAsync(call.Caller, code, await call.ReadJsonAsync<QuickPresentationRequest>(), call.Cancellation)));
}
