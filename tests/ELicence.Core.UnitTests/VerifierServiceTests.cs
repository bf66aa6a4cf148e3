using ELicence.Core.Problems;
using ELicence.Core.UnitTests.Fakes;
using ELicence.Core.Verifiers;

namespace ELicence.Core.UnitTests;

public class VerifierServiceTests
{
    private readonly InMemoryVerifierStore _store = new();
    private readonly InMemoryApiKeyStore _apiKeyStore = new();
    private readonly InMemoryIdempotencyStore _idempotency = new();
    private readonly ApiKeyService _apiKeys;
    private readonly VerifierService _verifiers;

    public VerifierServiceTests()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero));
        _apiKeys = new ApiKeyService(_apiKeyStore, time);
        _verifiers = new VerifierService(_store, _apiKeys, _idempotency, time);
    }

    [Fact]
    public async Task An_onboarded_organisation_is_listed_and_its_key_authenticates_as_the_organisation_with_its_kind()
    {
        var platform = await _verifiers.CreateAsync(Caller.Registrar("registrar:test", "Test registrar"), new NewVerifierRequest(" 阿图什市公共资源交易平台 ", VerifierKind.TenderingPlatform), null, default);

        var key = await _verifiers.IssueKeyAsync(platform.Id, default);
        var caller = await _apiKeys.AuthenticateAsync(key.Key, default);

        Assert.True(VerifierOrganisation.IsWellFormedId(platform.Id));
        Assert.Equal("阿图什市公共资源交易平台", platform.Name);
        Assert.Equal(Caller.Verifier(platform.Id, platform.Name, VerifierKind.TenderingPlatform) with { Acting = Actor.Key(key.KeyId, platform.Name) }, caller);
        Assert.Equal([platform], await _verifiers.ListAsync(default));
        var listed = Assert.Single((await _verifiers.ListKeysAsync(platform.Id, default)).Keys);
        Assert.Equal(key.KeyId, listed.KeyId);
        Assert.True(listed.Active);
    }

    [Theory]
    [InlineData(null, "bank", "name")]
    [InlineData("  ", "bank", "name")]
    [InlineData("Bank\u202Eevil", "bank", "name")]
    [InlineData("A bank", null, "kind")]
    public async Task An_organisation_without_a_clean_name_or_a_kind_is_refused_and_nothing_is_stored(string? name, string? kind, string field)
    {
        var request = new NewVerifierRequest(name, kind is null ? null : VerifierKind.Bank);

        var problem = await Assert.ThrowsAsync<ProblemException>(() => _verifiers.CreateAsync(Caller.Registrar("registrar:test", "Test registrar"), request, null, default));

        Assert.Equal(ProblemType.Validation, problem.Type);
        Assert.Contains(problem.Errors, e => e.Field == field);
        Assert.Empty(await _verifiers.ListAsync(default));
    }

    [Fact]
    public async Task A_third_active_key_is_refused_naming_the_limit_and_leaves_no_working_key_behind()
    {
        var bank = await _verifiers.CreateAsync(Caller.Registrar("registrar:test", "Test registrar"), new NewVerifierRequest("Bank B", VerifierKind.Bank), null, default);
        await _verifiers.IssueKeyAsync(bank.Id, default);
        await _verifiers.IssueKeyAsync(bank.Id, default);

        var problem = await Assert.ThrowsAsync<ProblemException>(() => _verifiers.IssueKeyAsync(bank.Id, default));

        Assert.Equal(ProblemType.LimitReached, problem.Type);
        Assert.Equal(VerifierService.MaxActiveKeys, problem.Extensions["limit"]);
        Assert.Equal(2, (await _verifiers.ListKeysAsync(bank.Id, default)).ActiveCount);
        Assert.Equal(2, _apiKeyStore.All.Count(r => !r.Revoked));
    }

    [Fact]
    public async Task A_revoked_key_stops_authenticating_and_frees_its_place_for_the_next_key()
    {
        var bank = await _verifiers.CreateAsync(Caller.Registrar("registrar:test", "Test registrar"), new NewVerifierRequest("Bank B", VerifierKind.Bank), null, default);
        var old = await _verifiers.IssueKeyAsync(bank.Id, default);
        await _verifiers.IssueKeyAsync(bank.Id, default);

        var revoked = await _verifiers.RevokeKeyAsync(bank.Id, old.KeyId, default);
        var again = await _verifiers.RevokeKeyAsync(bank.Id, old.KeyId, default);
        var next = await _verifiers.IssueKeyAsync(bank.Id, default);

        Assert.False(revoked.Active);
        Assert.Equal(revoked, again);
        Assert.Null(await _apiKeys.AuthenticateAsync(old.Key, default));
        Assert.NotNull(await _apiKeys.AuthenticateAsync(next.Key, default));
        Assert.Equal(2, (await _verifiers.ListKeysAsync(bank.Id, default)).ActiveCount);
    }

    [Fact]
    public async Task Two_keys_issued_at_the_same_moment_into_the_last_place_leave_one_and_revoke_the_other()
    {
        var bank = await _verifiers.CreateAsync(Caller.Registrar("registrar:test", "Test registrar"), new NewVerifierRequest("Bank B", VerifierKind.Bank), null, default);
        await _verifiers.IssueKeyAsync(bank.Id, default);
        IssuedApiKey? concurrent = null;
        _store.BeforeNextKeyChange = async () => concurrent = await _verifiers.IssueKeyAsync(bank.Id, default);

        await Assert.ThrowsAsync<ProblemException>(() => _verifiers.IssueKeyAsync(bank.Id, default));

        Assert.NotNull(concurrent);
        Assert.Equal(2, (await _verifiers.ListKeysAsync(bank.Id, default)).ActiveCount);
        Assert.Equal(2, _apiKeyStore.All.Count(r => !r.Revoked));
    }

    [Theory]
    [InlineData("vrf_0000000000000000000000000000000f", "0123456789abcdef")]
    [InlineData("../x", "0123456789abcdef")]
    [InlineData(null, "x/y")]
    public async Task Unknown_or_malformed_organisation_or_key_ids_are_not_found(string? organisation, string keyId)
    {
        var bank = await _verifiers.CreateAsync(Caller.Registrar("registrar:test", "Test registrar"), new NewVerifierRequest("Bank B", VerifierKind.Bank), null, default);

        var problem = await Assert.ThrowsAsync<ProblemException>(() => _verifiers.RevokeKeyAsync(organisation ?? bank.Id, keyId, default));

        Assert.Equal(ProblemType.NotFound, problem.Type);
    }

    [Fact]
    public async Task A_repeated_onboarding_with_the_same_idempotency_key_returns_the_same_organisation_and_another_request_under_it_is_refused()
    {
        var registrar = Caller.Registrar("registrar:test", "Test registrar");

        var first = await _verifiers.CreateAsync(registrar, new NewVerifierRequest("Bank C", VerifierKind.Bank), "onboard-bank-c", default);
        var again = await _verifiers.CreateAsync(registrar, new NewVerifierRequest(" Bank C ", VerifierKind.Bank), "onboard-bank-c", default);
        var other = await Assert.ThrowsAsync<ProblemException>(() => _verifiers.CreateAsync(registrar, new NewVerifierRequest("Bank D", VerifierKind.Bank), "onboard-bank-c", default));
        var badKey = await Assert.ThrowsAsync<ProblemException>(() => _verifiers.CreateAsync(registrar, new NewVerifierRequest("Bank D", VerifierKind.Bank), "two words", default));

        Assert.Equal(first, again);
        Assert.Equal(ProblemType.IdempotencyKeyReused, other.Type);
        Assert.Equal("Idempotency-Key", Assert.Single(badKey.Errors).Field);
        Assert.Equal([first], await _verifiers.ListAsync(default));
    }

    [Fact]
    public async Task Ensuring_a_known_organisation_twice_keeps_the_first()
    {
        var demo = new VerifierOrganisation("vrf_00000000000000000000000000000001", "Demo Bank", VerifierKind.Bank, DateTimeOffset.UnixEpoch);

        var first = await _verifiers.EnsureAsync(demo, default);
        var second = await _verifiers.EnsureAsync(demo with { Name = "Renamed" }, default);

        Assert.Equal(demo, first);
        Assert.Equal(demo, second);
    }

    [Fact]
    public async Task An_Entra_client_id_links_one_organisation_and_a_retry_under_the_same_idempotency_key_keeps_the_link()
    {
        var registrar = Caller.Registrar("registrar:test", "Test registrar");
        const string client = "6B1A2C3D-0000-4000-8000-0000000000AA";

        var bank = await _verifiers.CreateAsync(registrar, new NewVerifierRequest("Bank E", VerifierKind.Bank, client), "onboard-bank-e", default);
        var retried = await _verifiers.CreateAsync(registrar, new NewVerifierRequest("Bank E", VerifierKind.Bank, client), "onboard-bank-e", default);
        var taken = await Assert.ThrowsAsync<ProblemException>(() => _verifiers.CreateAsync(registrar, new NewVerifierRequest("Bank F", VerifierKind.Bank, client.ToLowerInvariant()), null, default));

        Assert.Equal(client.ToLowerInvariant(), bank.EntraClientId);
        Assert.Equal(bank, retried);
        Assert.Equal(ProblemType.Conflict, taken.Type);
        Assert.Equal("entraClientId", Assert.Single(taken.Errors).Field);
        Assert.Equal(bank, await _verifiers.FindByEntraClientAsync(client, default));
        Assert.Null(await _verifiers.FindByEntraClientAsync("6b1a2c3d-0000-4000-8000-0000000000ab", default));
        Assert.Null(await _verifiers.FindByEntraClientAsync("not-a-guid", default));
        Assert.Equal([bank], await _verifiers.ListAsync(default));
    }
}
