using ELicence.Core.Operations;

namespace ELicence.Functions.Operations;

/// <summary>
/// Health: a bare up/degraded for anyone (probes, status pages; nothing an attacker could map the deployment with) and the
/// checks behind it for operators. Both answer 200: "degraded" is information, not a reason for a platform probe to
/// recycle instances that are fine (a stale status list is not cured by a restart).
/// </summary>
public sealed class HealthFunctions(HttpApi<HealthFunctions> api, HealthService health)
{
    [Function("GetHealth")]
    [Endpoint(Access.Anyone, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest req) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(new HealthSummary((await health.CheckAsync(call.Cancellation)).Status)));

    [Function("GetHealthDetails")]
    [Endpoint(Access.Operations, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> GetDetails([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/health")] HttpRequest req) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(await health.CheckAsync(call.Cancellation)));
}

/// <summary>The anonymous health: up or degraded, nothing more.</summary>
public sealed record HealthSummary(HealthStatus Status);
