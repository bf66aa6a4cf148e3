using ELicence.Core.Presentations;

namespace ELicence.Functions.Presentations;

/// <summary>The licence as an SD-JWT VC for the business's wallet, and quick-mode presentations for one verifier.</summary>
public sealed class PresentationFunctions(HttpApi api, SdJwtVcIssuer issuance, QuickPresentations quick)
{
    private static readonly Dictionary<string, string> NoStore = new() { ["Cache-Control"] = "no-store" };

    /// <summary>Wallet mode: the SD-JWT VC bound to the business's own public key (JWK), with every disclosure.</summary>
    [Function("IssueSdJwtVc")]
    public Task<IActionResult> IssueSdJwtVc([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/sd-jwt-vcs")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.Holder, async caller =>
            ApiResults.Json(await issuance.IssueForWalletAsync(caller, code, await HttpApi.ReadJsonAsync<WalletCredentialRequest>(req), req.HttpContext.RequestAborted), StatusCodes.Status200OK, NoStore));

    /// <summary>Quick mode: a presentation for one verifier, valid five minutes, as text and as a QR PNG (base64).</summary>
    [Function("CreatePresentation")]
    public Task<IActionResult> CreatePresentation([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/presentations")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.Holder, async caller =>
            ApiResults.Json(await quick.CreateAsync(caller, code, await HttpApi.ReadJsonAsync<QuickPresentationRequest>(req), req.HttpContext.RequestAborted), StatusCodes.Status200OK, NoStore));
}
