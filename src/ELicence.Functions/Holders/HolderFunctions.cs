using ELicence.Core.Holders;
using ELicence.Core.Usage;

namespace ELicence.Functions.Holders;

/// <summary>The business in control: the registrar sets the owner key; the owner adds administrators; owner and administrators add agents; who used the licence.</summary>
public sealed class HolderFunctions(HttpApi api, HolderKeyService holderKeys, UsageQueries usage, TimeProvider time)
{
    private static readonly Dictionary<string, string> NoStore = new() { ["Cache-Control"] = "no-store" };

    /// <summary>(Re)sets the owner key, removing every other key of the licence. The key is shown once, in this response.</summary>
    [Function("CreateHolderKey")]
    public Task<IActionResult> CreateOwnerKey([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/holder-keys")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.Registrar, async caller =>
        {
            // The body is optional: without one the owner is the licence's legal representative.
            var body = req.ContentLength == 0 || (req.ContentLength is null && string.IsNullOrEmpty(req.ContentType)) ? null : await HttpApi.ReadJsonAsync<NewOwnerKeyRequest>(req);
            return Issued(await holderKeys.ResetOwnerAsync(caller, code, body, req.HttpContext.RequestAborted), code);
        });

    [Function("CreateHolderAdministrator")]
    public Task<IActionResult> CreateAdministrator([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/administrators")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.Holder, async caller =>
            Issued(await holderKeys.AddAdministratorAsync(caller, code, await HttpApi.ReadJsonAsync<NewAdministratorRequest>(req), req.HttpContext.RequestAborted), code));

    [Function("CreateHolderAgent")]
    public Task<IActionResult> CreateAgent([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/agents")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.Holder, async caller =>
            Issued(await holderKeys.AddAgentAsync(caller, code, await HttpApi.ReadJsonAsync<NewAgentRequest>(req), req.HttpContext.RequestAborted), code));

    /// <summary>Every key of the licence, active, expired and removed; never a secret.</summary>
    [Function("ListHolderKeys")]
    public Task<IActionResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/licences/{code}/holder-keys")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.RegistrarOrHolder, async caller =>
        {
            var keys = await holderKeys.ListAsync(caller, code, req.HttpContext.RequestAborted);
            return ApiResults.Json(
                new { creditCode = keys.Code.Value, maxAdministrators = HolderKeyService.MaxAdministrators, maxAgents = HolderKeyService.MaxAgents, keys = keys.Keys.Select(View) },
                StatusCodes.Status200OK,
                NoStore);
        });

    [Function("RemoveHolderKey")]
    public Task<IActionResult> Remove([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v1/licences/{code}/holder-keys/{keyId}")] HttpRequest req, string code, string keyId) =>
        api.RunAsync(req, Access.Holder, async caller =>
            ApiResults.Json(View(await holderKeys.RemoveAsync(caller, code, keyId, req.HttpContext.RequestAborted)), StatusCodes.Status200OK, NoStore));

    /// <summary>Who checked, downloaded or signed with the licence: newest first, by date range, paged.</summary>
    [Function("GetLicenceUsage")]
    public Task<IActionResult> GetUsage([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/licences/{code}/usage")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.RegistrarOrHolder, async caller =>
        {
            var page = await usage.ListAsync(caller, code, Query(req, "from"), Query(req, "to"), Query(req, "continuation"), Query(req, "limit"), req.HttpContext.RequestAborted);
            return ApiResults.Json(new { items = page.Items, page.Continuation }, StatusCodes.Status200OK, NoStore);
        });

    private static string? Query(HttpRequest req, string name) => req.Query.TryGetValue(name, out var v) ? v.ToString() : null;

    private BodyResult Issued(IssuedHolderKey issued, string code) =>
        ApiResults.Json(new { issued.Listed.KeyId, issued.Key, role = Role.Holder, creditCode = code, holderKey = View(issued.Listed) }, StatusCodes.Status201Created, NoStore);

    private object View(HolderKey key) => new
    {
        key.KeyId,
        key.Kind,
        key.Name,
        scopes = key.Kind == HolderKind.Agent ? key.Scopes : (IReadOnlyList<HolderScope>)Enum.GetValues<HolderScope>(),
        key.CreatedAt,
        key.ExpiresAt,
        key.CreatedBy,
        key.RemovedAt,
        active = key.ActiveAt(time.GetUtcNow()),
    };
}
