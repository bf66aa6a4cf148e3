using ELicence.Core.Verifiers;

namespace ELicence.Core.UnitTests;

public class ApiKeyTests
{
    private readonly InMemoryApiKeyStore _store = new();
    private readonly ApiKeyService _keys;

    public ApiKeyTests() => _keys = new ApiKeyService(_store, new FakeTimeProvider());

    [Fact]
    public async Task A_created_key_authenticates_as_its_principal_and_only_its_hash_is_stored()
    {
        var issued = await _keys.CreateVerifierKeyAsync(Builders.Bank.Id, Builders.Bank.Name, Builders.Bank.Kind, default);

        var caller = await _keys.AuthenticateAsync(issued.Key, default);

        Assert.Equal(Caller.Verifier(Builders.Bank.Id, Builders.Bank.Name, VerifierKind.Bank) with { Acting = Actor.Key(issued.KeyId, Builders.Bank.Name) }, caller);
        var stored = Assert.Single(_store.All);
        Assert.DoesNotContain(issued.Key.Split('_')[2], Convert.ToBase64String(stored.SecretHash), StringComparison.Ordinal);
        Assert.Equal(32, stored.SecretHash.Length);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("elk_")]
    [InlineData("elk_0123456789abcdef_wrong")]
    [InlineData("Bearer something")]
    public async Task Unknown_or_malformed_keys_do_not_authenticate(string? presented)
    {
        await _keys.CreateAsync(Role.Registrar, "registrar:x", "X", null, default);

        Assert.Null(await _keys.AuthenticateAsync(presented, default));
    }

    [Fact]
    public async Task A_registrar_key_is_a_clerk_unless_made_a_supervisors_and_acts_as_its_key_id()
    {
        var legacy = await _keys.AuthenticateAsync((await _keys.CreateAsync(Role.Registrar, "registrar:x", "登记员", null, default)).Key, default);
        var clerk = await _keys.CreateRegistrarKeyAsync("registrar:x", "登记员王", RegistrarRole.Clerk, default);
        var supervisor = await _keys.CreateRegistrarKeyAsync("registrar:x", "科长张", RegistrarRole.Supervisor, default);

        var asClerk = await _keys.AuthenticateAsync(clerk.Key, default);
        var asSupervisor = await _keys.AuthenticateAsync(supervisor.Key, default);

        Assert.Equal((RegistrarRole.Clerk, false), (legacy!.RegistrarRole, legacy.IsSupervisor));
        Assert.Equal((RegistrarRole.Clerk, false), (asClerk!.RegistrarRole, asClerk.IsSupervisor));
        Assert.True(asSupervisor!.IsSupervisor);
        Assert.Equal(("registrar:x", new Actor("key:" + supervisor.KeyId, "科长张", ActorKind.ApiKey)), (asSupervisor.Id, asSupervisor.Actor)); // one bureau, two people
        Assert.False(asClerk.Actor.IsSameAs(asSupervisor.Actor));
    }

    [Fact]
    public async Task A_key_with_a_wrong_secret_does_not_authenticate()
    {
        var issued = await _keys.CreateAsync(Role.Registrar, "registrar:x", "X", null, default);
        var wrong = issued.Key[..^1] + (issued.Key[^1] == 'A' ? 'B' : 'A');

        Assert.Null(await _keys.AuthenticateAsync(wrong, default));
    }

    [Fact]
    public async Task A_holder_reads_only_its_own_licence_and_a_verifier_none()
    {
        var own = CreditCodeAllocation.CodeFor(1, EntityType.IndividualBusiness);
        var other = CreditCodeAllocation.CodeFor(2, EntityType.IndividualBusiness);
        var holder = await _keys.AuthenticateAsync((await _keys.CreateAsync(Role.Holder, "holder:" + own.Value, "Shop", own, default)).Key, default);

        holder!.EnsureMayReadLicence(own);
        Assert.Equal(ProblemType.Forbidden, Assert.Throws<ProblemException>(() => holder.EnsureMayReadLicence(other)).Type);
        Assert.Throws<ProblemException>(() => Caller.Verifier(Builders.Bank.Id, "Bank", VerifierKind.Bank).EnsureMayReadLicence(own));
        Caller.Registrar("registrar:x", "X").EnsureMayReadLicence(other);
    }

    /// <summary>A unit-test stand-in for the key table; the integration tests use the real one on Azurite.</summary>
}
