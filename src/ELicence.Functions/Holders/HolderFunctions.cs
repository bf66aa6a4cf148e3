using ELicence.Core.Holders;
using ELicence.Core.Usage;

namespace ELicence.Functions.Holders;

/// <summary>The business in control: the registrar sets the owner key; the owner adds administrators; owner and administrators add agents; who used the licence.</summary>
public sealed class HolderFunctions(HttpApi<HolderFunctions> api, HolderKeyService holderKeys, UsageQueries usage, TimeProvider time)
{
    /// <summary>(Re)sets the owner key, removing every other key of the licence. The key is shown once, in this response.</summary>
    [Function("CreateHolderKey")]
    [Endpoint(Access.Registrar, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> CreateOwnerKey([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/holder-keys")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
        {
            // The body is optional: without one the owner is the licence's legal representative.
            var body = req.ContentLength == 0 || (req.ContentLength is null && string.IsNullOrEmpty(req.ContentType)) ? null : await call.ReadJsonAsync<NewOwnerKeyRequest>();
            return Issued(await holderKeys.ResetOwnerAsync(call.Caller, code, body, call.Cancellation), code);
        });

    [Function("CreateHolderAdministrator")]
    [Endpoint(Access.Holder, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> CreateAdministrator([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/administrators")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
            Issued(await holderKeys.AddAdministratorAsync(call.Caller, code, await call.ReadJsonAsync<NewAdministratorRequest>(), call.Cancellation), code));

    [Function("CreateHolderAgent")]
    [Endpoint(Access.Holder, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> CreateAgent([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/agents")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
            Issued(await holderKeys.AddAgentAsync(call.Caller, code, await call.ReadJsonAsync<NewAgentRequest>(), call.Cancellation), code));

    /// <summary>Every key of the licence, active, expired and removed; never a secret.</summary>
    [Function("ListHolderKeys")]
    [Endpoint(Access.RegistrarOrHolder, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/licences/{code}/holder-keys")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
        {
            var keys = await holderKeys.ListAsync(call.Caller, code, call.Cancellation);
            return ApiResults.Json(new HolderKeyList(keys.Code.Value, HolderKeyService.MaxAdministrators, HolderKeyService.MaxAgents, keys.Keys.Select(View).ToList()));
        });

    [Function("RemoveHolderKey")]
    [Endpoint(Access.Holder, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> Remove([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v1/licences/{code}/holder-keys/{keyId}")] HttpRequest req, string code, string keyId) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(View(await holderKeys.RemoveAsync(call.Caller, code, keyId, call.Cancellation))));

    /// <summary>Who checked, downloaded or signed with the licence: newest first, by date range, paged.</summary>
    [Function("GetLicenceUsage")]
    [Endpoint(Access.RegistrarOrHolder, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> GetUsage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/licences/{code}/usage")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
        {
            var page = await usage.ListAsync(call.Caller, code, Query(req, "from"), Query(req, "to"), Query(req, "continuation"), Query(req, "limit"), call.Cancellation);
            return ApiResults.Json(page);
        });

    private static string? Query(HttpRequest req, string name) => req.Query.TryGetValue(name, out var v) ? v.ToString() : null;

    private BodyResult Issued(IssuedHolderKey issued, string code) =>
        ApiResults.Json(new IssuedHolderKeyView(issued.Listed.KeyId, issued.Key, Role.Holder, code, View(issued.Listed)), StatusCodes.Status201Created);

    private HolderKeyView View(HolderKey key) => new(
        key.KeyId,
        key.Kind,
        key.Name,
        key.Kind == HolderKind.Agent ? key.Scopes : Enum.GetValues<HolderScope>(),
        key.CreatedAt,
        key.ExpiresAt,
        key.CreatedBy,
        key.RemovedAt,
        key.ActiveAt(time.GetUtcNow()));
}

/// <summary>A holder key as listed: never its secret; an owner's or administrator's scopes are all of them.</summary>
public sealed record HolderKeyView(
    string KeyId,
    HolderKind Kind,
    string Name,
    IReadOnlyList<HolderScope> Scopes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    string CreatedBy,
    DateTimeOffset? RemovedAt,
    bool Active);

/// <summary>A new holder key: the secret <see cref="Key"/>, shown this once.</summary>
public sealed record IssuedHolderKeyView(string KeyId, string Key, Role Role, string CreditCode, HolderKeyView HolderKey);

public sealed record HolderKeyList(string CreditCode, int MaxAdministrators, int MaxAgents, IReadOnlyList<HolderKeyView> Keys);
