using ELicence.Core.Wallets;
using ELicence.OpenId4Vc;
using ELicence.OpenId4Vc.Issuance;

namespace ELicence.Functions.Wallets;

/// <summary>
/// The OpenID4VCI 1.0 Credential Issuer and its Authorization Server (pre-authorised code flow): metadata, offers made by the
/// licence's holder, and the wallet's token, nonce, credential and notification endpoints, which answer protocol errors.
/// </summary>
public sealed class CredentialIssuerFunctions(HttpApi api, WalletIssuance issuance)
{
    private static readonly Dictionary<string, string> NoStore = new() { ["Cache-Control"] = "no-store" };

    [Function("CredentialIssuerMetadata")]
    public Task<IActionResult> IssuerMetadata([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/openid-credential-issuer")] HttpRequest req) =>
        api.RunAnonymousAsync(req, () => Task.FromResult<IActionResult>(ProtocolHttp.Metadata(issuance.IssuerMetadata())));

    [Function("AuthorizationServerMetadata")]
    public Task<IActionResult> AuthorizationServerMetadata([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/oauth-authorization-server")] HttpRequest req) =>
        api.RunAnonymousAsync(req, () => Task.FromResult<IActionResult>(ProtocolHttp.Metadata(issuance.AuthorizationServerMetadata())));

    /// <summary>A single-use offer for the caller's wallet: the link and its QR PNG, and the transaction code, shown only here.</summary>
    [Function("CreateCredentialOffer")]
    public Task<IActionResult> CreateOffer([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/credential-offers")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.Holder, async caller =>
            ApiResults.Json(await issuance.CreateOfferAsync(caller, code, req.HttpContext.RequestAborted), StatusCodes.Status201Created, NoStore));

    /// <summary>The offer behind credential_offer_uri (OpenID4VCI 1.0 §4.1.3).</summary>
    [Function("ResolveCredentialOffer")]
    public Task<IActionResult> ResolveOffer([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openid4vci/offers/{id}")] HttpRequest req, string id) =>
        api.RunAnonymousAsync(req, async () => ProtocolHttp.Json(await issuance.ResolveOfferAsync(id, req.HttpContext.RequestAborted)));

    [Function("WalletToken")]
    public Task<IActionResult> Token([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "openid4vci/token")] HttpRequest req) =>
        api.RunAnonymousAsync(req, () => ProtocolHttp.AnswerAsync(async () =>
        {
            var form = await ProtocolHttp.ReadFormAsync(req);
            return ProtocolHttp.Json(await issuance.RedeemAsync(form.GetValueOrDefault("grant_type"), form.GetValueOrDefault("pre-authorized_code"), form.GetValueOrDefault("tx_code"), req.HttpContext.RequestAborted));
        }));

    [Function("WalletNonce")]
    public Task<IActionResult> Nonce([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "openid4vci/nonce")] HttpRequest req) =>
        api.RunAnonymousAsync(req, () => ProtocolHttp.AnswerAsync(async () => ProtocolHttp.Json(await issuance.NonceAsync(req.HttpContext.RequestAborted))));

    [Function("WalletCredential")]
    public Task<IActionResult> Credential([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "openid4vci/credential")] HttpRequest req) =>
        api.RunAnonymousAsync(req, () => ProtocolHttp.AnswerAsync(async () =>
        {
            var token = ProtocolHttp.BearerToken(req);
            var request = await ProtocolHttp.ReadJsonAsync<CredentialRequest>(req, OAuthErrors.InvalidCredentialRequest);
            return ProtocolHttp.Json(await issuance.IssueAsync(token, request, req.HttpContext.RequestAborted));
        }));

    [Function("WalletNotification")]
    public Task<IActionResult> Notification([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "openid4vci/notification")] HttpRequest req) =>
        api.RunAnonymousAsync(req, () => ProtocolHttp.AnswerAsync(async () =>
        {
            await issuance.NotifyAsync(ProtocolHttp.BearerToken(req), await ProtocolHttp.ReadJsonAsync<NotificationRequest>(req, OAuthErrors.InvalidNotificationRequest), req.HttpContext.RequestAborted);
            return new StatusCodeResult(StatusCodes.Status204NoContent);
        }));
}
