using ELicence.Core.Proposals;

namespace ELicence.Functions.Proposals;

/// <summary>
/// Four-eyes over the API: a registrar proposes a revocation or a key compromise; a supervisor other than the proposer
/// approves it (it takes effect) or rejects it with a reason. Every registrar may list and read proposals.
/// </summary>
public sealed class ProposalFunctions(HttpApi api, ProposalService proposals)
{
    private static readonly Dictionary<string, string> NoStore = new() { ["Cache-Control"] = "no-store" };

    /// <summary>If-Match (optional) names the licence version the proposer is looking at: 412 when it has changed since.</summary>
    [Function("ProposeRevocation")]
    public Task<IActionResult> ProposeRevocation([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/revocation-proposals")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.Registrar, async caller =>
            Created(await proposals.ProposeRevocationAsync(caller, code, await HttpApi.ReadJsonAsync<RevocationRequest>(req), IfMatch(req), req.HttpContext.RequestAborted)));

    [Function("ProposeKeyCompromise")]
    public Task<IActionResult> ProposeKeyCompromise([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/keys/{kid}/compromise-proposals")] HttpRequest req, string kid) =>
        api.RunAsync(req, Access.KeyAdministration, async caller =>
            Created(await proposals.ProposeKeyCompromiseAsync(caller, kid, await HttpApi.ReadJsonAsync<ReasonRequest>(req), req.HttpContext.RequestAborted)));

    /// <summary><c>?state=pending|approved|rejected|expired</c>; newest first.</summary>
    [Function("ListProposals")]
    public Task<IActionResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/proposals")] HttpRequest req) =>
        api.RunAsync(req, Access.Registrar, async _ =>
            ApiResults.Json(new { proposals = await proposals.ListAsync(HttpApi.QueryOnce(req, "state"), req.HttpContext.RequestAborted) }, StatusCodes.Status200OK, NoStore));

    [Function("GetProposal")]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/proposals/{id}")] HttpRequest req, string id) =>
        api.RunAsync(req, Access.Registrar, async _ =>
            ApiResults.Json(await proposals.GetAsync(id, req.HttpContext.RequestAborted), StatusCodes.Status200OK, NoStore));

    [Function("ApproveProposal")]
    public Task<IActionResult> Approve([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/proposals/{id}/approval")] HttpRequest req, string id) =>
        api.RunAsync(req, Access.Registrar, async caller =>
            ApiResults.Json(await proposals.ApproveAsync(caller, id, req.HttpContext.RequestAborted), StatusCodes.Status200OK, NoStore));

    [Function("RejectProposal")]
    public Task<IActionResult> Reject([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/proposals/{id}/rejection")] HttpRequest req, string id) =>
        api.RunAsync(req, Access.Registrar, async caller =>
            ApiResults.Json(await proposals.RejectAsync(caller, id, await HttpApi.ReadJsonAsync<ReasonRequest>(req), req.HttpContext.RequestAborted), StatusCodes.Status200OK, NoStore));

    private static BodyResult Created(ProposalView proposal) =>
        ApiResults.Json(proposal, StatusCodes.Status201Created, new Dictionary<string, string> { ["Location"] = proposal.Url, ["Cache-Control"] = "no-store" });

    private static string? IfMatch(HttpRequest req) => req.Headers.IfMatch.Count > 0 ? req.Headers.IfMatch.ToString() : null;
}
