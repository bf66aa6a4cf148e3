using ELicence.Documents;
using ELicence.Core.Signatures;

namespace ELicence.Functions.Licences;

/// <summary>
/// Registrar actions on a licence. Each answers the licence exactly as that action committed it, with that commit's ETag;
/// an If-Match header makes the action conditional (412 when the licence changed since), and a concurrent change is refused with 409.
/// </summary>
public sealed class LifecycleFunctions(HttpApi api, RegistrarActions actions, SimplifiedDeregistration deregistration, LicenceQueries queries, LicenceDocuments documents, LicenceSigning signing)
{
    [Function("AmendLicence")]
    public Task<IActionResult> Amend([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/amendments")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.Registrar, async caller =>
            LicenceView.Result(await actions.AmendAsync(caller, code, await HttpApi.ReadJsonAsync<AmendmentRequest>(req), IfMatch(req), req.HttpContext.RequestAborted)));

    [Function("SuspendLicence")]
    public Task<IActionResult> Suspend([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/suspension")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.Registrar, async caller =>
            LicenceView.Result(await actions.SuspendAsync(caller, code, await HttpApi.ReadJsonAsync<SuspensionRequest>(req), IfMatch(req), req.HttpContext.RequestAborted)));

    [Function("ReinstateLicence")]
    public Task<IActionResult> Reinstate([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/reinstatement")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.Registrar, async caller =>
            LicenceView.Result(await actions.ReinstateAsync(caller, code, await HttpApi.ReadJsonAsync<ReasonRequest>(req), IfMatch(req), req.HttpContext.RequestAborted)));

    [Function("RevokeLicence")]
    public Task<IActionResult> Revoke([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/revocation")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.Registrar, async caller =>
            LicenceView.Result(await actions.RevokeAsync(caller, code, await HttpApi.ReadJsonAsync<RevocationRequest>(req), IfMatch(req), req.HttpContext.RequestAborted)));

    [Function("AttachPermit")]
    public Task<IActionResult> AttachPermit([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/permits")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.Registrar, async caller =>
            LicenceView.Result(await actions.AttachPermitAsync(caller, code, await HttpApi.ReadJsonAsync<PermitRequest>(req), IfMatch(req), req.HttpContext.RequestAborted), StatusCodes.Status201Created));

    [Function("OpenDeregistration")]
    public Task<IActionResult> OpenDeregistration([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/deregistration")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.Registrar, async caller =>
            LicenceView.Result(await deregistration.OpenAsync(caller, code, await HttpApi.ReadJsonAsync<ReasonRequest>(req), IfMatch(req), req.HttpContext.RequestAborted)));

    /// <summary>The objections to the licence's deregistration notices, with who made them: the registrar only.</summary>
    [Function("ListObjections")]
    public Task<IActionResult> ListObjections([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/licences/{code}/objections")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.Registrar, async caller =>
            ApiResults.Json(new { objections = await deregistration.GetObjectionsAsync(caller, code, req.HttpContext.RequestAborted) }, StatusCodes.Status200OK, NoStore));

    /// <summary>The registrar sustains or dismisses an objection under review.</summary>
    [Function("DecideObjection")]
    public Task<IActionResult> DecideObjection([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/objections/{id}/decision")] HttpRequest req, string code, string id) =>
        api.RunAsync(req, Access.Registrar, async caller =>
            LicenceView.Result(await deregistration.DecideObjectionAsync(caller, code, id, await HttpApi.ReadJsonAsync<ObjectionDecisionRequest>(req), IfMatch(req), req.HttpContext.RequestAborted)));

    [Function("GetHistory")]
    public Task<IActionResult> History([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/licences/{code}/history")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.RegistrarOrHolder, async caller =>
        {
            var events = await queries.GetHistoryAsync(caller, code, req.HttpContext.RequestAborted);
            var downloads = await documents.GetDownloadsAsync(caller, code, req.HttpContext.RequestAborted);
            var signatures = await signing.GetSignaturesAsync(caller, code, req.HttpContext.RequestAborted);
            return ApiResults.Json(new { creditCode = code.Trim().ToUpperInvariant(), events, downloads, signatures });
        });

    private static readonly Dictionary<string, string> NoStore = new() { ["Cache-Control"] = "no-store" };

    private static string? IfMatch(HttpRequest req) => req.Headers.IfMatch.Count > 0 ? req.Headers.IfMatch.ToString() : null;
}

/// <summary>Simplified deregistration in public: the open notices, and objections to them, for anyone.</summary>
public sealed class DeregistrationNoticeFunctions(HttpApi api, SimplifiedDeregistration deregistration)
{
    [Function("ListDeregistrationNotices")]
    public Task<IActionResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/deregistration-notices")] HttpRequest req) =>
        api.RunAnonymousAsync(req, async () =>
        {
            var notices = (await deregistration.OpenNoticesAsync(req.HttpContext.RequestAborted))
                .Select(l => new NoticeView(l.Code.Value, l.Details.Name, l.Details.English?.Name, l.StatusDetail.Notice!.StartsAt, l.StatusDetail.Notice.EndsAt,
                    l.StatusDetail.Notice.State, $"/api/v1/deregistration-notices/{l.Code.Value}/objections"))
                .ToList();
            return ApiResults.Json(new { notices }, StatusCodes.Status200OK, new Dictionary<string, string> { ["Cache-Control"] = "public, max-age=60" });
        });

    [Function("LodgeObjection")]
    public Task<IActionResult> Lodge([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/deregistration-notices/{code}/objections")] HttpRequest req, string code) =>
        api.RunAnonymousAsync(req, RatePolicy.Objections, async () =>
        {
            var objection = await deregistration.LodgeObjectionAsync(code, await HttpApi.ReadJsonAsync<ObjectionRequest>(req), req.HttpContext.RequestAborted);
            return ApiResults.Json(
                new
                {
                    creditCode = code.Trim().ToUpperInvariant(),
                    objectionId = objection.Id,
                    status = objection.Status,
                    message = "The objection is recorded. The registrar reviews it; the notice stays open meanwhile and the business cannot be deregistered until it is decided.",
                },
                StatusCodes.Status201Created);
        });
}

public sealed record NoticeView(string CreditCode, string Name, string? NameEn, DateTimeOffset NoticeStartsAt, DateTimeOffset NoticeEndsAt, string State, string ObjectionsUrl);
