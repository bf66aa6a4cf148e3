using ELicence.Core.KeyManagement;
using ELicence.Core.Proposals;

namespace ELicence.Core.UnitTests;

/// <summary>Four-eyes over the in-memory register and a fake clock: proposed by one person, in effect only on a second person's (a supervisor's) approval.</summary>
public sealed class FourEyesTests : IDisposable
{
    private static readonly Caller Clerk = Caller.Registrar("registrar:test", "登记员王", RegistrarRole.Clerk, Actor.Key("0000000000000001", "登记员王"));
    private static readonly Caller OtherClerk = Caller.Registrar("registrar:test", "登记员李", RegistrarRole.Clerk, Actor.Person("entra-sub-li", "登记员李"));
    private static readonly Caller Supervisor = Caller.Registrar("registrar:test", "科长张", RegistrarRole.Supervisor, Actor.Person("entra-sub-zhang", "科长张"));
    private static readonly Caller SupervisorWhoProposed = Caller.Registrar("registrar:test", "科长张", RegistrarRole.Supervisor, Actor.Person("entra-sub-zhang", "科长张"));
    private readonly InMemoryRegister _register = new();
    private readonly KeyRingProvider _provider;
    private readonly InMemoryProposalStore _store = new();
    private readonly FourEyesOptions _options = new();
    private readonly ProposalService _proposals;

    public FourEyesTests()
    {
        _provider = new KeyRingProvider(new InMemoryKeyRingStore(), _register.Clock);
        var reissue = new CredentialReissue(_register.Committer, _register.Sequence, _register.Licences, _register.Credentials, _provider, _provider);
        var jobs = new ReissueJobs(new InMemoryReissueStore(), new RecordingReissueQueue(), reissue, new ScriptedStatusListStore(), _register.StatusQueue, new StatusListOptions());
        var keys = new KeyAdministration(_provider, _provider, jobs, reissue, new KeyRotationOptions(), _register.Clock);
        _proposals = new ProposalService(_store, _register.Actions, _register.Committer, _register.Licences, keys, _provider, _options, _register.Clock);
    }

    public void Dispose() => _provider.Dispose();

    [Fact]
    public async Task A_revocation_takes_effect_only_when_a_supervisor_other_than_the_proposer_approves_and_the_event_names_both()
    {
        var licence = _register.Seed(LicenceStatus.Active);

        var proposal = await _proposals.ProposeRevocationAsync(Clerk, licence.Code.Value, new RevocationRequest("提交虚假材料取得登记", null), null, default);
        Assert.Equal(LicenceStatus.Active, (await _register.Licences.FindCurrentAsync(licence.Code, default))!.Status); // nothing yet
        _register.Clock.Advance(TimeSpan.FromHours(1));
        var approved = await _proposals.ApproveAsync(Supervisor, proposal.Id, default);

        Assert.Equal(ProposalState.Approved, approved.State);
        Assert.Equal(Supervisor.Actor, approved.DecidedBy);
        Assert.Equal(LicenceStatus.Revoked, (await _register.Licences.FindCurrentAsync(licence.Code, default))!.Status);
        var revoked = (await _register.Licences.GetHistoryAsync(licence.Code, default))[^1];
        Assert.Equal(("revoked", "oidc:entra-sub-zhang", "科长张", ActorKind.Person), (revoked.Type, revoked.ActorId, revoked.ActorName, revoked.ActorKind));
        Assert.Equal(new EventApproval(proposal.Id, Clerk.Actor, proposal.ProposedAt), revoked.Approval);
        Assert.Equal("提交虚假材料取得登记", revoked.Reason);
    }

    [Fact]
    public async Task The_proposer_cannot_approve_or_reject_their_own_proposal_even_as_a_supervisor()
    {
        var licence = _register.Seed(LicenceStatus.Active);
        var proposal = await _proposals.ProposeRevocationAsync(SupervisorWhoProposed, licence.Code.Value, new RevocationRequest("虚假登记", null), null, default);

        var approve = await Assert.ThrowsAsync<ProblemException>(() => _proposals.ApproveAsync(Supervisor, proposal.Id, default));
        var reject = await Assert.ThrowsAsync<ProblemException>(() => _proposals.RejectAsync(Supervisor, proposal.Id, new ReasonRequest("x"), default));

        Assert.Equal(ProblemType.Forbidden, approve.Type);
        Assert.Contains("a different person must approve", approve.Message, StringComparison.Ordinal);
        Assert.Equal(ProblemType.Forbidden, reject.Type);
        await AssertUnchangedAsync(licence, proposal.Id);
    }

    [Fact]
    public async Task A_clerk_cannot_approve()
    {
        var licence = _register.Seed(LicenceStatus.Active);
        var proposal = await _proposals.ProposeRevocationAsync(Clerk, licence.Code.Value, new RevocationRequest("虚假登记", null), null, default);

        var refused = await Assert.ThrowsAsync<ProblemException>(() => _proposals.ApproveAsync(OtherClerk, proposal.Id, default));

        Assert.Equal(ProblemType.Forbidden, refused.Type);
        Assert.Contains("supervisor role", refused.Message, StringComparison.Ordinal);
        await AssertUnchangedAsync(licence, proposal.Id);
    }

    [Fact]
    public async Task An_approval_after_the_proposal_expired_is_refused_and_changes_nothing()
    {
        var licence = _register.Seed(LicenceStatus.Active);
        var proposal = await _proposals.ProposeRevocationAsync(Clerk, licence.Code.Value, new RevocationRequest("虚假登记", null), null, default);
        _register.Clock.Advance(_options.ProposalLifetime - TimeSpan.FromSeconds(1));
        Assert.Equal(ProposalState.Pending, (await _proposals.GetAsync(proposal.Id, default)).State);
        _register.Clock.Advance(TimeSpan.FromSeconds(1));

        var refused = await Assert.ThrowsAsync<ProblemException>(() => _proposals.ApproveAsync(Supervisor, proposal.Id, default));

        Assert.Equal(ProblemType.ProposalClosed, refused.Type);
        Assert.Contains("expired", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ProposalState.Expired, (await _proposals.GetAsync(proposal.Id, default)).State);
        Assert.Equal([proposal.Id], (await _proposals.ListAsync("expired", default)).Select(p => p.Id));
        Assert.Empty(await _proposals.ListAsync("pending", default));
        Assert.Equal(LicenceStatus.Active, (await _register.Licences.FindCurrentAsync(licence.Code, default))!.Status);
    }

    [Fact]
    public async Task A_second_approval_is_refused_and_the_licence_is_revoked_once()
    {
        var licence = _register.Seed(LicenceStatus.Active);
        var proposal = await _proposals.ProposeRevocationAsync(Clerk, licence.Code.Value, new RevocationRequest("虚假登记", null), null, default);
        await _proposals.ApproveAsync(Supervisor, proposal.Id, default);

        var again = await Assert.ThrowsAsync<ProblemException>(() => _proposals.ApproveAsync(Supervisor, proposal.Id, default));

        Assert.Equal(ProblemType.ProposalClosed, again.Type);
        Assert.Contains("already approved by 科长张", again.Message, StringComparison.Ordinal);
        Assert.Single(await _register.Licences.GetHistoryAsync(licence.Code, default), e => e.Type == "revoked");
    }

    [Fact]
    public async Task Approving_a_proposal_on_a_licence_changed_meanwhile_is_refused_naming_the_change_and_who_made_it()
    {
        var licence = _register.Seed(LicenceStatus.Active);
        var proposal = await _proposals.ProposeRevocationAsync(Clerk, licence.Code.Value, new RevocationRequest("虚假登记", null), null, default);
        await _register.Actions.SuspendAsync(OtherClerk, licence.Code.Value, new SuspensionRequest(AbnormalOperationsReason.UnreachableAtDomicile, "无法联系"), null, default);

        var refused = await Assert.ThrowsAsync<ProblemException>(() => _proposals.ApproveAsync(Supervisor, proposal.Id, default));

        Assert.Equal(ProblemType.PreconditionFailed, refused.Type);
        Assert.Contains("'suspended' by 登记员李", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ProposalState.Pending, (await _proposals.GetAsync(proposal.Id, default)).State); // still there to reject
        Assert.Equal(LicenceStatus.Suspended, (await _register.Licences.FindCurrentAsync(licence.Code, default))!.Status);
    }

    [Fact]
    public async Task A_proposal_with_a_stale_If_Match_or_a_second_open_one_for_the_same_licence_is_refused()
    {
        var licence = _register.Seed(LicenceStatus.Active);

        var stale = await Assert.ThrowsAsync<ProblemException>(() => _proposals.ProposeRevocationAsync(Clerk, licence.Code.Value, new RevocationRequest("x", null), "\"not-the-etag\"", default));
        await _proposals.ProposeRevocationAsync(Clerk, licence.Code.Value, new RevocationRequest("虚假登记", null), licence.ETag, default);
        var second = await Assert.ThrowsAsync<ProblemException>(() => _proposals.ProposeRevocationAsync(OtherClerk, licence.Code.Value, new RevocationRequest("再次", null), null, default));

        Assert.Equal(ProblemType.PreconditionFailed, stale.Type);
        Assert.Equal(ProblemType.Conflict, second.Type);
        Assert.Single(await _proposals.ListAsync(null, default));
    }

    [Fact]
    public async Task A_rejection_needs_a_reason_closes_the_proposal_and_changes_the_licence_not_at_all()
    {
        var licence = _register.Seed(LicenceStatus.Active);
        var proposal = await _proposals.ProposeRevocationAsync(Clerk, licence.Code.Value, new RevocationRequest("虚假登记", null), null, default);

        var noReason = await Assert.ThrowsAsync<ProblemException>(() => _proposals.RejectAsync(Supervisor, proposal.Id, new ReasonRequest(" "), default));
        var rejected = await _proposals.RejectAsync(Supervisor, proposal.Id, new ReasonRequest("证据不足"), default);
        var approveAfter = await Assert.ThrowsAsync<ProblemException>(() => _proposals.ApproveAsync(Supervisor, proposal.Id, default));

        Assert.Equal("reason", noReason.Errors[0].Field);
        Assert.Equal((ProposalState.Rejected, "证据不足"), (rejected.State, rejected.DecisionReason));
        Assert.Equal(ProblemType.ProposalClosed, approveAfter.Type);
        Assert.Empty(await _register.Licences.GetHistoryAsync(licence.Code, default)); // the seeded licence: no event added
    }

    [Fact]
    public async Task The_direct_revocation_points_to_the_proposals_when_four_eyes_is_on_and_acts_at_once_when_it_is_off()
    {
        var licence = _register.Seed(LicenceStatus.Active);

        var refused = await Assert.ThrowsAsync<ProblemException>(() => _proposals.RevokeDirectlyAsync(Clerk, licence.Code.Value, new RevocationRequest("虚假登记", null), null, default));
        _options.Enabled = false;
        var revoked = await _proposals.RevokeDirectlyAsync(Clerk, licence.Code.Value, new RevocationRequest("虚假登记", null), null, default);

        Assert.Equal(ProblemType.FourEyesRequired, refused.Type);
        Assert.Equal($"/api/v1/licences/{licence.Code}/revocation-proposals", refused.Extensions["proposals"]);
        Assert.Equal(LicenceStatus.Revoked, revoked.Status);
        Assert.Null((await _register.Licences.GetHistoryAsync(licence.Code, default))[^1].Approval);
    }

    [Fact]
    public async Task A_key_compromise_waits_for_the_approval()
    {
        var kid = (await _provider.GetAsync(default)).Signing.KeyId;

        var proposal = await _proposals.ProposeKeyCompromiseAsync(Clerk, kid, new ReasonRequest("签名密钥泄露"), default);
        Assert.NotEqual(KeyState.Compromised, (await _provider.GetAsync(default)).Find(kid)!.State);
        await _proposals.ApproveAsync(Supervisor, proposal.Id, default);

        Assert.Equal(KeyState.Compromised, (await _provider.GetAsync(default)).Find(kid)!.State);
    }

    private async Task AssertUnchangedAsync(Licence licence, string proposalId)
    {
        Assert.Equal(LicenceStatus.Active, (await _register.Licences.FindCurrentAsync(licence.Code, default))!.Status);
        Assert.Equal(ProposalState.Pending, (await _proposals.GetAsync(proposalId, default)).State);
    }
}
