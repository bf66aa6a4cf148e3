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

        Assert.Equal(Caller.Verifier(Builders.Bank.Id, Builders.Bank.Name, VerifierKind.Bank), caller);
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
