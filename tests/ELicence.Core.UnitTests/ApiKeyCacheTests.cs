using ELicence.Core.Verifiers;

namespace ELicence.Core.UnitTests;

/// <summary>Callers seen recently authenticate from memory for a stated bound; nothing else about authentication changes.</summary>
public class ApiKeyCacheTests
{
    private readonly InMemoryApiKeyStore _store = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_key_seen_within_the_bound_is_not_looked_up_again()
    {
        var (keys, _) = Build(30);
        var issued = await keys.CreateVerifierKeyAsync(Builders.Bank.Id, Builders.Bank.Name, Builders.Bank.Kind, default);

        Assert.NotNull(await keys.AuthenticateAsync(issued.Key, default));
        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.NotNull(await keys.AuthenticateAsync(issued.Key, default));

        Assert.Equal(1, _store.Lookups);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_though_its_key_id_is_cached()
    {
        var (keys, _) = Build(30);
        var issued = await keys.CreateVerifierKeyAsync(Builders.Bank.Id, Builders.Bank.Name, Builders.Bank.Kind, default);
        await keys.AuthenticateAsync(issued.Key, default);
        var forged = issued.Key[..^1] + (issued.Key[^1] == 'A' ? 'B' : 'A');

        Assert.Null(await keys.AuthenticateAsync(forged, default));
    }

    [Fact]
    public async Task A_key_revoked_through_this_instance_is_refused_at_once()
    {
        var (keys, _) = Build(30);
        var issued = await keys.CreateVerifierKeyAsync(Builders.Bank.Id, Builders.Bank.Name, Builders.Bank.Kind, default);
        await keys.AuthenticateAsync(issued.Key, default);

        await keys.RevokeAsync(issued.KeyId, default);

        Assert.Null(await keys.AuthenticateAsync(issued.Key, default));
    }

    [Fact]
    public async Task A_key_revoked_elsewhere_is_refused_once_the_bound_has_passed()
    {
        var (keys, _) = Build(30);
        var issued = await keys.CreateVerifierKeyAsync(Builders.Bank.Id, Builders.Bank.Name, Builders.Bank.Kind, default);
        await keys.AuthenticateAsync(issued.Key, default);

        await _store.RevokeAsync(issued.KeyId, default); // another instance, straight in the table
        var withinBound = await keys.AuthenticateAsync(issued.Key, default);
        _clock.Advance(TimeSpan.FromSeconds(30));
        var afterBound = await keys.AuthenticateAsync(issued.Key, default);

        Assert.NotNull(withinBound);
        Assert.Null(afterBound);
    }

    [Fact]
    public async Task An_agent_key_expires_on_time_though_it_is_cached()
    {
        var (keys, _) = Build(300);
        var code = Builders.Licence().Code;
        var issued = await keys.CreateHolderKeyAsync(new HolderKeySpec(code, "王办事员", HolderKind.Agent, [HolderScope.Download], _clock.GetUtcNow().AddSeconds(10)), default);
        Assert.NotNull(await keys.AuthenticateAsync(issued.Key, default));

        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Null(await keys.AuthenticateAsync(issued.Key, default));
    }

    [Fact]
    public async Task A_bound_of_zero_looks_every_key_up()
    {
        var (keys, _) = Build(0);
        var issued = await keys.CreateVerifierKeyAsync(Builders.Bank.Id, Builders.Bank.Name, Builders.Bank.Kind, default);

        await keys.AuthenticateAsync(issued.Key, default);
        await keys.AuthenticateAsync(issued.Key, default);

        Assert.Equal(2, _store.Lookups);
    }

    [Fact]
    public async Task Unknown_keys_are_not_cached_so_a_key_created_elsewhere_authenticates_at_once()
    {
        var (keys, cache) = Build(30);
        var other = new ApiKeyService(_store, _clock); // another instance, writing the same table
        Assert.Null(await cache.FindAsync("0123456789abcdef", default));

        var issued = await other.CreateVerifierKeyAsync(Builders.Bank.Id, Builders.Bank.Name, Builders.Bank.Kind, default);

        Assert.NotNull(await keys.AuthenticateAsync(issued.Key, default));
    }

    private (ApiKeyService Keys, CachedApiKeyStore Cache) Build(int seconds)
    {
        var cache = new CachedApiKeyStore(_store, new CallerCacheOptions { CacheSeconds = seconds }, _clock);
        return (new ApiKeyService(cache, _clock), cache);
    }
}
