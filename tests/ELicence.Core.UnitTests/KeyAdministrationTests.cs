using ELicence.Core.KeyManagement;
using ELicence.Jose;

namespace ELicence.Core.UnitTests;

/// <summary>Compromise and re-issue, and removal of retired keys, over the in-memory register and a stored ring on a fake clock.</summary>
public sealed class KeyAdministrationTests : IDisposable
{
    private static readonly KeyRotationOptions Options = new() { RetainRetiredFor = TimeSpan.FromDays(1) };
    private readonly InMemoryRegister _register = new();
    private readonly KeyRingProvider _provider;
    private readonly RecordingReissueQueue _queue = new();
    private readonly InMemoryReissueStore _reissues = new();
    private readonly ScriptedStatusListStore _lists = new();
    private readonly KeyAdministration _keys;

    public KeyAdministrationTests()
    {
        _provider = new KeyRingProvider(new InMemoryKeyRingStore(), _register.Clock);
        var committer = new LicenceChangeCommitter(_register.Licences, _register.Credentials, _register.StatusQueue, _provider, _register.Issuer, CreditCodeExceptionList.None, _register.Clock);
        var reissue = new CredentialReissue(committer, _register.Sequence, _register.Licences, _register.Credentials, _provider, _provider);
        _keys = new KeyAdministration(_provider, _provider, new ReissueJobs(_reissues, _queue, reissue, _lists, _register.StatusQueue, new StatusListOptions()), reissue, Options, _register.Clock);
    }

    public void Dispose() => _provider.Dispose();

    private async Task<Licence> SeedSignedAsync(LicenceStatus status, int sequence)
    {
        var licence = _register.Seed(status, sequence);
        await _register.Credentials.PutIfAbsentAsync(licence.Code, licence.Version, LicenceCredential.Sign(licence, _register.Issuer, (await _provider.GetAsync(default)).Signing), default);
        return licence;
    }

    private async Task<string?> KidOfCurrentAsync(CreditCode code)
    {
        var licence = (await _register.Licences.FindCurrentAsync(code, default))!;
        return CompactJws.TryParse(await _register.Credentials.FindAsync(code, licence.Version, default), out var jws, out _) ? jws.KeyId : null;
    }

    /// <summary>Delivers every queued message, as the queue trigger would; <paramref name="twice"/> delivers each one again after.</summary>
    private async Task DrainAsync(bool twice = false)
    {
        var delivered = new List<ReissueMessage>();
        while (_queue.Messages.Count > 0)
        {
            var message = _queue.Messages[0];
            _queue.Messages.RemoveAt(0);
            delivered.Add(message);
            await _keys.HandleAsync(message, message.Code is null ? null : CreditCode.Parse(message.Code, CreditCodeExceptionList.None), default);
        }

        if (twice)
        {
            _queue.Messages.AddRange(delivered);
            await DrainAsync();
        }
    }

    [Fact]
    public async Task A_compromise_reissues_each_current_credential_once_under_the_new_key_keeping_status_and_content()
    {
        var active = await SeedSignedAsync(LicenceStatus.Active, 7);
        var suspended = await SeedSignedAsync(LicenceStatus.Suspended, 8);
        var revoked = await SeedSignedAsync(LicenceStatus.Revoked, 9);
        var withdrawn = (await _provider.GetAsync(default)).Signing.KeyId;

        var started = await _keys.CompromiseAsync(withdrawn, new ReasonRequest("签名密钥泄露"), default);
        await DrainAsync(twice: true);

        Assert.Equal("scanning", started.State);
        var ring = await _provider.GetAsync(default);
        Assert.Equal(KeyState.Compromised, ring.StateOf(withdrawn));
        var progress = await _keys.GetReissueAsync(withdrawn, default);
        Assert.Equal(("done", 2, 2, 0), (progress.State, progress.Found, progress.Reissued, progress.Pending));
        foreach (var before in new[] { active, suspended })
        {
            var after = (await _register.Licences.FindCurrentAsync(before.Code, default))!;
            Assert.Equal((2, before.Status, before.Details, before.StatusDetail, before.IssuedOn), (after.Version, after.Status, after.Details, after.StatusDetail, after.IssuedOn));
            Assert.NotEqual(before.CredentialId, after.CredentialId);
            Assert.NotEqual(before.StatusListIndex, after.StatusListIndex);
            Assert.Equal(ring.Signing.KeyId, await KidOfCurrentAsync(before.Code));
            var reissued = (await _register.Licences.GetHistoryAsync(before.Code, default))[^1];
            Assert.Equal(("credential-reissued", CredentialReissue.ReissueActor.Id), (reissued.Type, reissued.ActorId));
        }

        Assert.Equal(1, (await _register.Licences.FindCurrentAsync(revoked.Code, default))!.Version);
        Assert.Equal(withdrawn, await KidOfCurrentAsync(revoked.Code));
        Assert.Contains(suspended.Code.Value, _register.StatusQueue.Syncs);
    }

    [Fact]
    public async Task A_licence_amended_before_its_turn_is_not_reissued()
    {
        var licence = await SeedSignedAsync(LicenceStatus.Active, 7);
        var withdrawn = (await _provider.GetAsync(default)).Signing.KeyId;
        await _keys.CompromiseAsync(withdrawn, new ReasonRequest("泄露"), default);
        await _keys.HandleAsync(_queue.Messages[0], null, default); // the scan
        var amendment = new CredentialReissue(
            new LicenceChangeCommitter(_register.Licences, _register.Credentials, _register.StatusQueue, _provider, _register.Issuer, CreditCodeExceptionList.None, _register.Clock),
            _register.Sequence, _register.Licences, _register.Credentials, _provider, _provider);
        await amendment.ReissueAsync(licence.Code, withdrawn, default); // stands in for any change that signs a new version first

        await _keys.HandleAsync(_queue.Messages[1], licence.Code, default);

        var progress = await _keys.GetReissueAsync(withdrawn, default);
        Assert.Equal((1, 0, 1), (progress.Found, progress.Reissued, progress.NotNeeded));
        Assert.Equal(2, (await _register.Licences.FindCurrentAsync(licence.Code, default))!.Version);
    }

    [Fact]
    public async Task A_retired_key_past_its_retention_stays_while_a_current_credential_uses_it()
    {
        var licence = await SeedSignedAsync(LicenceStatus.Active, 7);
        var first = (await _provider.GetAsync(default)).Signing.KeyId;
        await _keys.RotateNowAsync(new RotationRequest(SigningKey.EdDsa), default);
        _register.Clock.Advance(Options.AnnounceFor);
        await _keys.RunScheduleAsync(default);
        Assert.Equal(KeyState.Retired, (await _provider.GetAsync(default)).StateOf(first));

        _register.Clock.Advance(Options.RetainRetiredFor);
        await _keys.RunScheduleAsync(default);
        Assert.Equal(KeyState.Retired, (await _provider.GetAsync(default)).StateOf(first));

        _register.Seed(LicenceStatus.Revoked, 7); // revoked: its credential is no longer current
        await _keys.RunScheduleAsync(default);
        Assert.Null((await _provider.GetAsync(default)).StateOf(first));
        Assert.Equal(licence.Code, (await _register.Licences.FindCurrentAsync(licence.Code, default))!.Code);
    }

    [Fact]
    public async Task Unknown_keys_and_bad_requests_are_refused_and_change_nothing()
    {
        var ring = await _provider.GetAsync(default);

        Assert.Equal(ProblemType.NotFound, (await Assert.ThrowsAsync<ProblemException>(() => _keys.CompromiseAsync("nope", new ReasonRequest("x"), default))).Type);
        Assert.Equal(ProblemType.Validation, (await Assert.ThrowsAsync<ProblemException>(() => _keys.CompromiseAsync(ring.Signing.KeyId, new ReasonRequest(" "), default))).Type);
        Assert.Equal(ProblemType.Validation, (await Assert.ThrowsAsync<ProblemException>(() => _keys.RotateNowAsync(new RotationRequest("none"), default))).Type);
        Assert.Equal(ProblemType.NotFound, (await Assert.ThrowsAsync<ProblemException>(() => _keys.GetReissueAsync(ring.Signing.KeyId, default))).Type);
        Assert.Equal(ring.Keys, (await _provider.GetAsync(default)).Keys);
        Assert.Empty(_queue.Messages);
    }
}
