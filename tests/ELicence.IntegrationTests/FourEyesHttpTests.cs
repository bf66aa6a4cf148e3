using ELicence.IntegrationTests.Documents;

namespace ELicence.IntegrationTests;

/// <summary>Four-eyes over HTTP against Azurite: a clerk's key proposes, a supervisor's key approves or rejects; every refusal changes nothing.</summary>
[Collection(ServiceCollection.Name)]
public class FourEyesHttpTests(ServiceFixture service)
{
    private string ClerkKeyId => "key:" + service.RegistrarKey[4..20];

    private string SupervisorKeyId => "key:" + service.SupervisorKey[4..20];

    [Fact]
    public async Task A_revocation_proposed_by_a_clerk_takes_effect_on_a_supervisors_approval_and_the_history_names_both()
    {
        var code = await service.IssueAsync(Applications.Valid("阿图什市四眼甲有限公司"));

        var (proposed, proposal, response) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/revocation-proposals", service.RegistrarKey, new { reason = "提交虚假材料取得登记" });
        var (_, pending, _) = await service.SendAsync(HttpMethod.Get, "/api/v1/proposals?state=pending", service.RegistrarKey);
        var (stillActive, before, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}", service.RegistrarKey);
        var (approved, decided, _) = await service.SendAsync(HttpMethod.Post, response.Headers.Location!.OriginalString + "/approval", service.SupervisorKey);
        var (_, history, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/history", service.RegistrarKey);

        Assert.Equal(HttpStatusCode.Created, proposed);
        Assert.Equal(("revocation", "pending", code), (proposal.GetProperty("kind").GetString(), proposal.GetProperty("state").GetString(), proposal.GetProperty("creditCode").GetString()));
        Assert.Contains(pending.GetProperty("proposals").EnumerateArray(), p => p.GetProperty("id").GetString() == proposal.GetProperty("id").GetString());
        Assert.Equal((HttpStatusCode.OK, "active"), (stillActive, before.GetProperty("status").GetString()));
        Assert.Equal((HttpStatusCode.OK, "approved"), (approved, decided.GetProperty("state").GetString()));
        var revoked = history.GetProperty("events").EnumerateArray().Last();
        Assert.Equal(("revoked", SupervisorKeyId, "Test supervisor", "api-key"), (revoked.GetProperty("type").GetString(), revoked.GetProperty("actorId").GetString(), revoked.GetProperty("actorName").GetString(), revoked.GetProperty("actorKind").GetString()));
        Assert.Equal((ClerkKeyId, "Test registrar"), (revoked.GetProperty("approval").GetProperty("proposedBy").GetProperty("id").GetString(), revoked.GetProperty("approval").GetProperty("proposedBy").GetProperty("name").GetString()));
        Assert.False((await VerifyAsync(code)).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task The_direct_revocation_route_answers_a_problem_pointing_to_the_proposals_and_revokes_nothing()
    {
        var code = await service.IssueAsync(Applications.Valid("阿图什市四眼乙有限公司"));

        var (status, problem, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/revocation", service.SupervisorKey, new { reason = "x" });

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("urn:elicence:problem:four-eyes-required", problem.GetProperty("type").GetString());
        Assert.Equal($"/api/v1/licences/{code}/revocation-proposals", problem.GetProperty("proposals").GetString());
        Assert.True((await VerifyAsync(code)).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task Approval_by_a_clerk_by_the_proposer_twice_or_after_a_rejection_is_refused_clearly_and_changes_nothing()
    {
        var code = await service.IssueAsync(Applications.Valid("阿图什市四眼丙有限公司"));
        var (_, own, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/revocation-proposals", service.SupervisorKey, new { reason = "虚假登记" });
        var id = own.GetProperty("id").GetString();

        var byClerk = await service.SendAsync(HttpMethod.Post, $"/api/v1/proposals/{id}/approval", service.RegistrarKey);
        var byProposer = await service.SendAsync(HttpMethod.Post, $"/api/v1/proposals/{id}/approval", service.SupervisorKey);
        var second = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/revocation-proposals", service.RegistrarKey, new { reason = "再次" });
        var unknown = await service.SendAsync(HttpMethod.Post, "/api/v1/proposals/prp_0123/approval", service.SupervisorKey);
        var badState = await service.SendAsync(HttpMethod.Get, "/api/v1/proposals?state=open", service.RegistrarKey);

        Assert.Equal(HttpStatusCode.Forbidden, byClerk.Status);
        Assert.Contains("supervisor role", byClerk.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, byProposer.Status);
        Assert.Contains("a different person must approve", byProposer.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, second.Status); // one open proposal per licence
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal((HttpStatusCode.BadRequest, "state"), (badState.Status, badState.Body.GetProperty("errors")[0].GetProperty("field").GetString()));
        Assert.True((await VerifyAsync(code)).GetProperty("valid").GetBoolean());

        var (_, stillPending, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/proposals/{id}", service.RegistrarKey);
        Assert.Equal("pending", stillPending.GetProperty("state").GetString());

        // A clerk's proposal, rejected with a reason by the supervisor, cannot be approved afterwards.
        var otherCode = await service.IssueAsync(Applications.Valid("阿图什市四眼丁有限公司"));
        var (_, clerks, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{otherCode}/revocation-proposals", service.RegistrarKey, new { reason = "虚假登记" });
        var clerksId = clerks.GetProperty("id").GetString();
        var noReason = await service.SendAsync(HttpMethod.Post, $"/api/v1/proposals/{clerksId}/rejection", service.SupervisorKey, new { });
        var (rejected, decision, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/proposals/{clerksId}/rejection", service.SupervisorKey, new { reason = "证据不足" });
        var afterRejection = await service.SendAsync(HttpMethod.Post, $"/api/v1/proposals/{clerksId}/approval", service.SupervisorKey);

        Assert.Equal((HttpStatusCode.BadRequest, "reason"), (noReason.Status, noReason.Body.GetProperty("errors")[0].GetProperty("field").GetString()));
        Assert.Equal((HttpStatusCode.OK, "rejected", "证据不足", SupervisorKeyId), (rejected, decision.GetProperty("state").GetString(), decision.GetProperty("decisionReason").GetString(), decision.GetProperty("decidedBy").GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, afterRejection.Status);
        Assert.Equal("urn:elicence:problem:proposal-closed", afterRejection.Body.GetProperty("type").GetString());
        Assert.True((await VerifyAsync(otherCode)).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task Approving_a_proposal_on_a_licence_changed_meanwhile_is_412_naming_the_change_and_the_proposal_stays_pending()
    {
        var code = await service.IssueAsync(Applications.Valid("阿图什市四眼戊有限公司"));
        var (_, proposal, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/revocation-proposals", service.RegistrarKey, new { reason = "虚假登记" });
        await service.ActAsync(code, "suspension", new { reasonCode = "unreachable-at-domicile", reason = "通过登记的住所无法联系" });
        var id = proposal.GetProperty("id").GetString();

        var (status, problem, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/proposals/{id}/approval", service.SupervisorKey);
        var (_, after, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/proposals/{id}", service.SupervisorKey);
        var (_, licence, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}", service.RegistrarKey);

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        Assert.Contains("'suspended' by Test registrar", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("pending", after.GetProperty("state").GetString());
        Assert.Equal("suspended", licence.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_proposal_with_a_stale_If_Match_is_412_and_none_is_made()
    {
        var code = await service.IssueAsync(Applications.Valid("阿图什市四眼己有限公司"));
        using var request = service.Request(HttpMethod.Post, $"/api/v1/licences/{code}/revocation-proposals", service.RegistrarKey, new { reason = "虚假登记" });
        request.Headers.TryAddWithoutValidation("If-Match", "\"0x8D0000000000000\"");

        var response = await service.Http.SendAsync(request);
        var (_, all, _) = await service.SendAsync(HttpMethod.Get, "/api/v1/proposals", service.RegistrarKey);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.DoesNotContain(all.GetProperty("proposals").EnumerateArray(), p => p.TryGetProperty("creditCode", out var c) && c.GetString() == code);
    }

    private async Task<JsonElement> VerifyAsync(string code) =>
        (await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { creditCode = code })).Body;
}
