using ELicence.Core.Operations;

namespace ELicence.Functions.Operations;

/// <summary>
/// Health: a bare up/degraded for anyone (probes, status pages; nothing an attacker could map the deployment with) and the
/// checks behind it for operators. Both answer 200: "degraded" is information, not a reason for a platform probe to
/// recycle instances that are fine (a stale status list is not cured by a restart).
/// </summary>
public sealed class HealthFunctions(HttpApi api, HealthService health)
{
    private static readonly Dictionary<string, string> NoStore = new() { ["Cache-Control"] = "no-store" };

    [Function("GetHealth")]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/health")] HttpRequest req) =>
        api.RunAnonymousAsync(req, async () =>
            ApiResults.Json(new { (await health.CheckAsync(req.HttpContext.RequestAborted)).Status }, StatusCodes.Status200OK, NoStore));

    [Function("GetHealthDetails")]
    public Task<IActionResult> GetDetails([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/health")] HttpRequest req) =>
        api.RunAsync(req, Access.Operations, async _ =>
            ApiResults.Json(await health.CheckAsync(req.HttpContext.RequestAborted), StatusCodes.Status200OK, NoStore));
}
