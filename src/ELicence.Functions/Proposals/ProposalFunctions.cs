using ELicence.Core.Proposals;

namespace ELicence.Functions.Proposals;

/// <summary>
/// Four-eyes over the API: a registrar proposes a revocation or a key compromise; a supervisor other than the proposer
/// approves it (it takes effect) or rejects it with a reason. Every registrar may list and read proposals.
/// </summary>
public sealed class ProposalFunctions(HttpApi<ProposalFunctions> api, ProposalService proposals)
{
    /// <summary>If-Match (optional) names the licence version the proposer is looking at: 412 when it has changed since.</summary>
    [Function("ProposeRevocation")]
    [Endpoint(Access.Registrar, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> ProposeRevocation([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/revocation-proposals")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
            Created(await proposals.ProposeRevocationAsync(call.Caller, code, await call.ReadJsonAsync<RevocationRequest>(), IfMatch(req), call.Cancellation)));

    [Function("ProposeKeyCompromise")]
    [Endpoint(Access.KeyAdministration, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> ProposeKeyCompromise([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/keys/{kid}/compromise-proposals")] HttpRequest req, string kid) =>
        api.RunAsync(req, async call =>
            Created(await proposals.ProposeKeyCompromiseAsync(call.Caller, kid, await call.ReadJsonAsync<ReasonRequest>(), call.Cancellation)));

    /// <summary><c>?state=pending|approved|rejected|expired</c>; newest first.</summary>
    [Function("ListProposals")]
    [Endpoint(Access.Registrar, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/proposals")] HttpRequest req) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(new ProposalList(await proposals.ListAsync(call.Query("state"), call.Cancellation))));

    [Function("GetProposal")]
    [Endpoint(Access.Registrar, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/proposals/{id}")] HttpRequest req, string id) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(await proposals.GetAsync(id, call.Cancellation)));

    [Function("ApproveProposal")]
    [Endpoint(Access.Registrar, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> Approve([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/proposals/{id}/approval")] HttpRequest req, string id) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(await proposals.ApproveAsync(call.Caller, id, call.Cancellation)));

    [Function("RejectProposal")]
    [Endpoint(Access.Registrar, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> Reject([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/proposals/{id}/rejection")] HttpRequest req, string id) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(await proposals.RejectAsync(call.Caller, id, await call.ReadJsonAsync<ReasonRequest>(), call.Cancellation)));

    private static BodyResult Created(ProposalView proposal) =>
        ApiResults.Json(proposal, StatusCodes.Status201Created, new Dictionary<string, string> { ["Location"] = proposal.Url });

    private static string? IfMatch(HttpRequest req) => req.Headers.IfMatch.Count > 0 ? req.Headers.IfMatch.ToString() : null;
}

/// <summary>The answer of <c>GET /api/v1/proposals</c>.</summary>
public sealed record ProposalList(IReadOnlyList<ProposalView> Proposals);
