using ELicence.Core.Proposals;
using ELicence.Core.Signatures;
using ELicence.Core.Usage;
using ELicence.Documents;

namespace ELicence.Functions.Licences;

/// <summary>
/// Registrar actions on a licence. Each answers the licence exactly as that action committed it, with that commit's ETag;
/// an If-Match header makes the action conditional (412 when the licence changed since), and a concurrent change is refused with 409.
/// </summary>
public sealed class LifecycleFunctions(HttpApi<LifecycleFunctions> api, RegistrarActions actions, ProposalService proposals, SimplifiedDeregistration deregistration, LicenceQueries queries, LicenceDocuments documents, LicenceSigning signing)
{
    [Function("AmendLicence")]
    [Endpoint(Access.Registrar)]
    public Task<IActionResult> Amend([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/amendments")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
            LicenceView.Result(await actions.AmendAsync(call.Caller, code, await call.ReadJsonAsync<AmendmentRequest>(), IfMatch(req), call.Cancellation)));

    [Function("SuspendLicence")]
    [Endpoint(Access.Registrar)]
    public Task<IActionResult> Suspend([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/suspension")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
            LicenceView.Result(await actions.SuspendAsync(call.Caller, code, await call.ReadJsonAsync<SuspensionRequest>(), IfMatch(req), call.Cancellation)));

    [Function("ReinstateLicence")]
    [Endpoint(Access.Registrar)]
    public Task<IActionResult> Reinstate([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/reinstatement")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
            LicenceView.Result(await actions.ReinstateAsync(call.Caller, code, await call.ReadJsonAsync<ReasonRequest>(), IfMatch(req), call.Cancellation)));

    /// <summary>At once only where four-eyes is off (<c>FourEyes:Enabled</c>); otherwise a 409 pointing to <c>…/revocation-proposals</c>.</summary>
    [Function("RevokeLicence")]
    [Endpoint(Access.Registrar)]
    public Task<IActionResult> Revoke([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/revocation")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
            LicenceView.Result(await proposals.RevokeDirectlyAsync(call.Caller, code, await call.ReadJsonAsync<RevocationRequest>(), IfMatch(req), call.Cancellation)));

    [Function("AttachPermit")]
    [Endpoint(Access.Registrar)]
    public Task<IActionResult> AttachPermit([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/permits")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
            LicenceView.Result(await actions.AttachPermitAsync(call.Caller, code, await call.ReadJsonAsync<PermitRequest>(), IfMatch(req), call.Cancellation), StatusCodes.Status201Created));

    [Function("OpenDeregistration")]
    [Endpoint(Access.Registrar)]
    public Task<IActionResult> OpenDeregistration([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/deregistration")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
            LicenceView.Result(await deregistration.OpenAsync(call.Caller, code, await call.ReadJsonAsync<ReasonRequest>(), IfMatch(req), call.Cancellation)));

    /// <summary>The objections to the licence's deregistration notices, with who made them: the registrar only.</summary>
    [Function("ListObjections")]
    [Endpoint(Access.Registrar, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> ListObjections([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/licences/{code}/objections")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(new ObjectionList(await deregistration.GetObjectionsAsync(call.Caller, code, call.Cancellation))));

    /// <summary>The registrar sustains or dismisses an objection under review.</summary>
    [Function("DecideObjection")]
    [Endpoint(Access.Registrar)]
    public Task<IActionResult> DecideObjection([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/objections/{id}/decision")] HttpRequest req, string code, string id) =>
        api.RunAsync(req, async call =>
            LicenceView.Result(await deregistration.DecideObjectionAsync(call.Caller, code, id, await call.ReadJsonAsync<ObjectionDecisionRequest>(), IfMatch(req), call.Cancellation)));

    [Function("GetHistory")]
    [Endpoint(Access.RegistrarOrHolder)]
    public Task<IActionResult> History([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/licences/{code}/history")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
        {
            var events = await queries.GetHistoryAsync(call.Caller, code, call.Cancellation);
            if (!call.Caller.MayViewUsage)
            {
                // Downloads and signatures are the licence's usage: an agent without view-usage sees the changes only.
                return ApiResults.Json(new LicenceHistoryView(code.Trim().ToUpperInvariant(), events, null, null));
            }

            var downloads = await documents.GetDownloadsAsync(call.Caller, code, call.Cancellation);
            var signatures = await signing.GetSignaturesAsync(call.Caller, code, call.Cancellation);
            return ApiResults.Json(new LicenceHistoryView(code.Trim().ToUpperInvariant(), events, downloads, signatures));
        });

    private static string? IfMatch(HttpRequest req) => req.Headers.IfMatch.Count > 0 ? req.Headers.IfMatch.ToString() : null;
}

/// <summary>Simplified deregistration in public: the open notices, and objections to them, for anyone.</summary>
public sealed class DeregistrationNoticeFunctions(HttpApi<DeregistrationNoticeFunctions> api, SimplifiedDeregistration deregistration)
{
    [Function("ListDeregistrationNotices")]
    [Endpoint(Access.Anyone, Cache = CachePolicy.PublicMinute)]
    public Task<IActionResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/deregistration-notices")] HttpRequest req) =>
        api.RunAsync(req, async call =>
        {
            var notices = (await deregistration.OpenNoticesAsync(call.Cancellation))
                .Select(l => new NoticeView(l.Code.Value, l.Details.Name, l.Details.English?.Name, l.StatusDetail.Notice!.StartsAt, l.StatusDetail.Notice.EndsAt,
                    l.StatusDetail.Notice.State, $"/api/v1/deregistration-notices/{l.Code.Value}/objections"))
                .ToList();
            return ApiResults.Json(new NoticeList(notices));
        });

    [Function("LodgeObjection")]
    [Endpoint(Access.Anyone, Rate = RatePolicy.Objections)]
    public Task<IActionResult> Lodge([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/deregistration-notices/{code}/objections")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
        {
            var objection = await deregistration.LodgeObjectionAsync(code, await call.ReadJsonAsync<ObjectionRequest>(), call.Cancellation);
            return ApiResults.Json(new LodgedObjection(code.Trim().ToUpperInvariant(), objection.Id, objection.Status, objection.Status == ObjectionStatus.Queued ? LodgedObjection.Queued : LodgedObjection.Recorded), StatusCodes.Status201Created);
        });
}

public sealed record NoticeView(string CreditCode, string Name, string? NameEn, DateTimeOffset NoticeStartsAt, DateTimeOffset NoticeEndsAt, string State, string ObjectionsUrl);

public sealed record NoticeList(IReadOnlyList<NoticeView> Notices);

public sealed record ObjectionList(IReadOnlyList<Objection> Objections);

/// <summary>A licence's history: its events, every document download, and every signature made with it.</summary>
public sealed record LicenceHistoryView(string CreditCode, IReadOnlyList<LicenceEvent> Events, IReadOnlyList<DocumentDownload>? Downloads, IReadOnlyList<SignatureEntry>? Signatures);

/// <summary>What the person who lodged an objection is told (no contact details echoed).</summary>
public sealed record LodgedObjection(string CreditCode, string ObjectionId, ObjectionStatus Status, string Message)
{
    public const string Queued = "The objection is recorded and queued: the registrar reviews objections in order of arrival. The business cannot be deregistered until it is decided.";

    public const string Recorded = "The objection is recorded. The registrar reviews it; the notice stays open meanwhile and the business cannot be deregistered until it is decided.";
}
