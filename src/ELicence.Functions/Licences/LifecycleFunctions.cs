using ELicence.Core.Licences;
using ELicence.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ELicence.Functions.Licences;

/// <summary>
/// Registrar actions on a licence. Each answers the licence as it now stands with its new ETag; an If-Match header makes
/// the action conditional (412 when the licence changed since), and a concurrent change is refused with 409.
/// </summary>
public sealed class LifecycleFunctions(HttpApi api, LicenceLifecycleService lifecycle)
{
    [Function("AmendLicence")]
    public Task<IActionResult> Amend([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/amendments")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.Registrar, async caller =>
            LicenceView.Result(await lifecycle.AmendAsync(caller, code, await HttpApi.ReadJsonAsync<AmendmentRequest>(req), IfMatch(req), req.HttpContext.RequestAborted)));

    [Function("SuspendLicence")]
    public Task<IActionResult> Suspend([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/suspension")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.Registrar, async caller =>
            LicenceView.Result(await lifecycle.SuspendAsync(caller, code, await HttpApi.ReadJsonAsync<SuspensionRequest>(req), IfMatch(req), req.HttpContext.RequestAborted)));

    [Function("ReinstateLicence")]
    public Task<IActionResult> Reinstate([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/reinstatement")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.Registrar, async caller =>
            LicenceView.Result(await lifecycle.ReinstateAsync(caller, code, await HttpApi.ReadJsonAsync<ReasonRequest>(req), IfMatch(req), req.HttpContext.RequestAborted)));

    [Function("RevokeLicence")]
    public Task<IActionResult> Revoke([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/revocation")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.Registrar, async caller =>
            LicenceView.Result(await lifecycle.RevokeAsync(caller, code, await HttpApi.ReadJsonAsync<RevocationRequest>(req), IfMatch(req), req.HttpContext.RequestAborted)));

    [Function("OpenDeregistration")]
    public Task<IActionResult> OpenDeregistration([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/deregistration")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.Registrar, async caller =>
            LicenceView.Result(await lifecycle.OpenDeregistrationAsync(caller, code, await HttpApi.ReadJsonAsync<ReasonRequest>(req), IfMatch(req), req.HttpContext.RequestAborted)));

    [Function("AttachPermit")]
    public Task<IActionResult> AttachPermit([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/permits")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.Registrar, async caller =>
            LicenceView.Result(await lifecycle.AttachPermitAsync(caller, code, await HttpApi.ReadJsonAsync<PermitRequest>(req), IfMatch(req), req.HttpContext.RequestAborted), StatusCodes.Status201Created));

    [Function("GetHistory")]
    public Task<IActionResult> History([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/licences/{code}/history")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.RegistrarOrHolder, async caller =>
            ApiResults.Json(new { creditCode = code.Trim().ToUpperInvariant(), events = await lifecycle.GetHistoryAsync(caller, code, req.HttpContext.RequestAborted) }));

    private static string? IfMatch(HttpRequest req) => req.Headers.IfMatch.Count > 0 ? req.Headers.IfMatch.ToString() : null;
}

/// <summary>Simplified deregistration in public: the open notices, and objections, for anyone.</summary>
public sealed class DeregistrationNoticeFunctions(HttpApi api, LicenceLifecycleService lifecycle)
{
    [Function("ListDeregistrationNotices")]
    public Task<IActionResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/deregistration-notices")] HttpRequest req) =>
        api.RunAnonymousAsync(req, async () =>
        {
            var notices = (await lifecycle.OpenNoticesAsync(req.HttpContext.RequestAborted))
                .Select(l => new NoticeView(l.Code.Value, l.Details.Name, l.Details.English?.Name, l.StatusDetail.Notice!.StartsAt, l.StatusDetail.Notice.EndsAt, $"/api/v1/deregistration-notices/{l.Code.Value}/objections"))
                .ToList();
            return ApiResults.Json(new { notices }, StatusCodes.Status200OK, new Dictionary<string, string> { ["Cache-Control"] = "public, max-age=60" });
        });

    [Function("LodgeObjection")]
    public Task<IActionResult> Lodge([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/deregistration-notices/{code}/objections")] HttpRequest req, string code) =>
        api.RunAnonymousAsync(req, RatePolicy.Objections, async () =>
        {
            var licence = await lifecycle.LodgeObjectionAsync(code, await HttpApi.ReadJsonAsync<ObjectionRequest>(req), req.HttpContext.RequestAborted);
            return ApiResults.Json(new { creditCode = licence.Code.Value, outcome = "objected", message = "The objection is recorded; the deregistration notice has ended and the registrar will review it." }, StatusCodes.Status201Created);
        });
}

public sealed record NoticeView(string CreditCode, string Name, string? NameEn, DateTimeOffset NoticeStartsAt, DateTimeOffset NoticeEndsAt, string ObjectionsUrl);
