using ELicence.Core.Verifiers;
using ELicence.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ELicence.Functions.Verifiers;

/// <summary>Onboarding verifier organisations (banks, the tendering platform…) and their keys: the registrar's job.</summary>
public sealed class VerifierFunctions(HttpApi api, VerifierService verifiers)
{
    private static readonly Dictionary<string, string> NoStore = new() { ["Cache-Control"] = "no-store" };

    [Function("CreateVerifier")]
    public Task<IActionResult> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/verifiers")] HttpRequest req) =>
        api.RunAsync(req, Access.VerifierAdministration, async caller =>
        {
            var body = await HttpApi.ReadJsonAsync<NewVerifierRequest>(req);
            var key = req.Headers.TryGetValue("Idempotency-Key", out var k) ? k.ToString() : null;
            var organisation = await verifiers.CreateAsync(caller, body, key, req.HttpContext.RequestAborted);
            return ApiResults.Json(organisation, StatusCodes.Status201Created, new Dictionary<string, string> { ["Location"] = $"/api/v1/verifiers/{organisation.Id}/keys" });
        });

    [Function("ListVerifiers")]
    public Task<IActionResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/verifiers")] HttpRequest req) =>
        api.RunAsync(req, Access.VerifierAdministration, async _ =>
            ApiResults.Json(new { verifiers = await verifiers.ListAsync(req.HttpContext.RequestAborted) }));

    /// <summary>A new key for the organisation; the key is shown once, in this response.</summary>
    [Function("CreateVerifierKey")]
    public Task<IActionResult> CreateKey([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/verifiers/{id}/keys")] HttpRequest req, string id) =>
        api.RunAsync(req, Access.VerifierAdministration, async _ =>
        {
            var key = await verifiers.IssueKeyAsync(id, req.HttpContext.RequestAborted);
            return ApiResults.Json(new { key.KeyId, key.Key, verifierId = key.PrincipalId, role = key.Role }, StatusCodes.Status201Created, NoStore);
        });

    /// <summary>The organisation's keys, active and revoked; never a secret.</summary>
    [Function("ListVerifierKeys")]
    public Task<IActionResult> ListKeys([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/verifiers/{id}/keys")] HttpRequest req, string id) =>
        api.RunAsync(req, Access.VerifierAdministration, async _ =>
        {
            var keys = await verifiers.ListKeysAsync(id, req.HttpContext.RequestAborted);
            return ApiResults.Json(new { verifier = keys.Organisation, maxActiveKeys = VerifierService.MaxActiveKeys, keys = keys.Keys.Select(View) }, StatusCodes.Status200OK, NoStore);
        });

    [Function("RevokeVerifierKey")]
    public Task<IActionResult> RevokeKey([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v1/verifiers/{id}/keys/{keyId}")] HttpRequest req, string id, string keyId) =>
        api.RunAsync(req, Access.VerifierAdministration, async _ =>
            ApiResults.Json(View(await verifiers.RevokeKeyAsync(id, keyId, req.HttpContext.RequestAborted)), StatusCodes.Status200OK, NoStore));

    private static object View(VerifierKey key) => new { key.KeyId, key.CreatedAt, key.RevokedAt, key.Active };
}
