using ELicence.Core.Wallets;
using ELicence.OpenId4Vc;
using ELicence.OpenId4Vc.Issuance;

namespace ELicence.Functions.Wallets;

/// <summary>
/// The OpenID4VCI 1.0 Credential Issuer and its Authorization Server (pre-authorised code flow): metadata, offers made by the
/// licence's holder, and the wallet's token, nonce, credential and notification endpoints, which answer protocol errors.
/// </summary>
public sealed class CredentialIssuerFunctions(HttpApi<CredentialIssuerFunctions> api, WalletIssuance issuance)
{
    [Function("CredentialIssuerMetadata")]
    [Endpoint(Access.Anyone, Cache = CachePolicy.PublicMinute, Cors = true)]
    public Task<IActionResult> IssuerMetadata([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = ".well-known/openid-credential-issuer")] HttpRequest req) =>
        api.RunAsync(req, _ => Task.FromResult<IActionResult>(ProtocolHttp.Json(issuance.IssuerMetadata())));

    [Function("AuthorizationServerMetadata")]
    [Endpoint(Access.Anyone, Cache = CachePolicy.PublicMinute, Cors = true)]
    public Task<IActionResult> AuthorizationServerMetadata([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = ".well-known/oauth-authorization-server")] HttpRequest req) =>
        api.RunAsync(req, _ => Task.FromResult<IActionResult>(ProtocolHttp.Json(issuance.AuthorizationServerMetadata())));

    /// <summary>A single-use offer for the caller's wallet: the link and its QR PNG, and the transaction code, shown only here.</summary>
    [Function("CreateCredentialOffer")]
    [Endpoint(Access.Holder, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> CreateOffer([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/credential-offers")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(await issuance.CreateOfferAsync(call.Caller, code, call.Cancellation), StatusCodes.Status201Created));

    /// <summary>The offer behind credential_offer_uri (OpenID4VCI 1.0 §4.1.3).</summary>
    [Function("ResolveCredentialOffer")]
    [Endpoint(Access.Anyone, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> ResolveOffer([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "openid4vci/offers/{id}")] HttpRequest req, string id) =>
        api.RunAsync(req, async call => ProtocolHttp.Json(await issuance.ResolveOfferAsync(id, call.Cancellation)));

    [Function("WalletToken")]
    [Endpoint(Access.Anyone, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> Token([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "openid4vci/token")] HttpRequest req) =>
        api.RunAsync(req, call => ProtocolHttp.AnswerAsync(async () =>
        {
            var form = await ProtocolHttp.ReadFormAsync(req);
            return ProtocolHttp.Json(await issuance.RedeemAsync(form.GetValueOrDefault("grant_type"), form.GetValueOrDefault("pre-authorized_code"), form.GetValueOrDefault("tx_code"), call.Cancellation));
        }));

    [Function("WalletNonce")]
    [Endpoint(Access.Anyone, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> Nonce([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "openid4vci/nonce")] HttpRequest req) =>
        api.RunAsync(req, call => ProtocolHttp.AnswerAsync(async () => ProtocolHttp.Json(await issuance.NonceAsync(call.Cancellation))));

    [Function("WalletCredential")]
    [Endpoint(Access.Anyone, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> Credential([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "openid4vci/credential")] HttpRequest req) =>
        api.RunAsync(req, call => ProtocolHttp.AnswerAsync(async () =>
        {
            var request = await ProtocolHttp.ReadJsonAsync<CredentialRequest>(req, OAuthErrors.InvalidCredentialRequest);
            return ProtocolHttp.Json(await issuance.IssueAsync(ProtocolHttp.BearerToken(req), request, call.Cancellation));
        }));

    [Function("WalletNotification")]
    [Endpoint(Access.Anyone, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> Notification([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "openid4vci/notification")] HttpRequest req) =>
        api.RunAsync(req, call => ProtocolHttp.AnswerAsync(async () =>
        {
            await issuance.NotifyAsync(ProtocolHttp.BearerToken(req), await ProtocolHttp.ReadJsonAsync<NotificationRequest>(req, OAuthErrors.InvalidNotificationRequest), call.Cancellation);
            return new StatusCodeResult(StatusCodes.Status204NoContent);
        }));
}
