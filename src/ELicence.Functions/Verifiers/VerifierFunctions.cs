using ELicence.Core.Verifiers;
using ELicence.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ELicence.Functions.Verifiers;

/// <summary>Onboarding verifier organisations (banks, the tendering platform…) and their keys: the registrar's job.</summary>
public sealed class VerifierFunctions(HttpApi<VerifierFunctions> api, VerifierService verifiers)
{
    [Function("CreateVerifier")]
    [Endpoint(Access.VerifierAdministration)]
    public Task<IActionResult> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/verifiers")] HttpRequest req) =>
        api.RunAsync(req, async call =>
        {
            var body = await call.ReadJsonAsync<NewVerifierRequest>();
            var key = req.Headers.TryGetValue("Idempotency-Key", out var k) ? k.ToString() : null;
            var organisation = await verifiers.CreateAsync(call.Caller, body, key, call.Cancellation);
            return ApiResults.Json(organisation, StatusCodes.Status201Created, new Dictionary<string, string> { ["Location"] = $"/api/v1/verifiers/{organisation.Id}/keys" });
        });

    [Function("ListVerifiers")]
    [Endpoint(Access.VerifierAdministration)]
    public Task<IActionResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/verifiers")] HttpRequest req) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(new VerifierList(await verifiers.ListAsync(call.Cancellation))));

    /// <summary>A new key for the organisation; the key is shown once, in this response.</summary>
    [Function("CreateVerifierKey")]
    [Endpoint(Access.VerifierAdministration, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> CreateKey([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/verifiers/{id}/keys")] HttpRequest req, string id) =>
        api.RunAsync(req, async call =>
        {
            var key = await verifiers.IssueKeyAsync(id, call.Cancellation);
            return ApiResults.Json(new IssuedVerifierKey(key.KeyId, key.Key, key.PrincipalId, key.Role), StatusCodes.Status201Created);
        });

    /// <summary>The organisation's keys, active and revoked; never a secret.</summary>
    [Function("ListVerifierKeys")]
    [Endpoint(Access.VerifierAdministration, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> ListKeys([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/verifiers/{id}/keys")] HttpRequest req, string id) =>
        api.RunAsync(req, async call =>
        {
            var keys = await verifiers.ListKeysAsync(id, call.Cancellation);
            return ApiResults.Json(new VerifierKeyList(keys.Organisation, VerifierService.MaxActiveKeys, [.. keys.Keys.Select(View)]));
        });

    [Function("RevokeVerifierKey")]
    [Endpoint(Access.VerifierAdministration, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> RevokeKey([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v1/verifiers/{id}/keys/{keyId}")] HttpRequest req, string id, string keyId) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(View(await verifiers.RevokeKeyAsync(id, keyId, call.Cancellation))));

    private static VerifierKeyView View(VerifierKey key) => new(key.KeyId, key.CreatedAt, key.RevokedAt, key.Active);
}

public sealed record VerifierList(IReadOnlyList<VerifierOrganisation> Verifiers);

/// <summary>A new verifier key: the secret <see cref="Key"/>, shown this once.</summary>
public sealed record IssuedVerifierKey(string KeyId, string Key, string VerifierId, Role Role);

/// <summary>A verifier key as listed: never its secret.</summary>
public sealed record VerifierKeyView(string KeyId, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, bool Active);

public sealed record VerifierKeyList(VerifierOrganisation Verifier, int MaxActiveKeys, IReadOnlyList<VerifierKeyView> Keys);
