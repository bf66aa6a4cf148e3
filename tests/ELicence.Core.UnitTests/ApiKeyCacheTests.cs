using ELicence.Core.Verifiers;

namespace ELicence.Core.UnitTests;

/// <summary>Callers seen recently, and key ids found unknown, are answered from memory for stated bounds; nothing else about authentication changes.</summary>
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
    public async Task Repeated_guesses_of_an_unknown_key_id_cost_one_lookup_within_the_bound()
    {
        var (keys, _) = Build(30);
        var guess = "elk_0123456789abcdef_" + new string('A', 43);

        Assert.Null(await keys.AuthenticateAsync(guess, default));
        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Null(await keys.AuthenticateAsync(guess, default));
        Assert.Equal(1, _store.Lookups);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await keys.AuthenticateAsync(guess, default));
        Assert.Equal(2, _store.Lookups);
    }

    [Fact]
    public async Task A_key_created_through_this_instance_authenticates_at_once_though_its_id_was_looked_up_unknown()
    {
        var (keys, cache) = Build(30);
        var (issued, record) = await KeyMadeElsewhereAsync();
        Assert.Null(await keys.AuthenticateAsync(issued.Key, default));

        await cache.AddAsync(record, default);

        Assert.NotNull(await keys.AuthenticateAsync(issued.Key, default));
    }

    [Fact]
    public async Task A_key_created_through_another_instance_authenticates_once_the_unknown_bound_has_passed()
    {
        var (keys, _) = Build(30);
        var (issued, record) = await KeyMadeElsewhereAsync();
        Assert.Null(await keys.AuthenticateAsync(issued.Key, default));

        await _store.AddAsync(record, default); // another instance, straight in the table
        var withinBound = await keys.AuthenticateAsync(issued.Key, default);
        _clock.Advance(TimeSpan.FromSeconds(new CallerCacheOptions().UnknownKeySeconds));

        Assert.Null(withinBound);
        Assert.NotNull(await keys.AuthenticateAsync(issued.Key, default));
    }

    [Fact]
    public async Task Guesses_do_not_evict_known_keys()
    {
        var (keys, _) = Build(30);
        var issued = await keys.CreateVerifierKeyAsync(Builders.Bank.Id, Builders.Bank.Name, Builders.Bank.Kind, default);
        await keys.AuthenticateAsync(issued.Key, default);

        for (var i = 0; i < 10_001; i++)
        {
            await keys.AuthenticateAsync($"elk_{i:x16}_" + new string('A', 43), default);
        }

        var lookups = _store.Lookups;
        Assert.NotNull(await keys.AuthenticateAsync(issued.Key, default));
        Assert.Equal(lookups, _store.Lookups);
    }

    /// <summary>A key and its record as another instance would have made them, not yet in the shared table.</summary>
    private async Task<(IssuedApiKey Issued, ApiKeyRecord Record)> KeyMadeElsewhereAsync()
    {
        var scratch = new InMemoryApiKeyStore();
        var issued = await new ApiKeyService(scratch, _clock).CreateVerifierKeyAsync(Builders.Bank.Id, Builders.Bank.Name, Builders.Bank.Kind, default);
        return (issued, (await scratch.FindAsync(issued.KeyId, default))!);
    }

    private (ApiKeyService Keys, CachedApiKeyStore Cache) Build(int seconds)
    {
        var cache = new CachedApiKeyStore(_store, new CallerCacheOptions { CacheSeconds = seconds }, _clock);
        return (new ApiKeyService(cache, _clock), cache);
    }
}
