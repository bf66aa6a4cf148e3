using ELicence.Core.Operations;

namespace ELicence.Core.UnitTests;

/// <summary>The detailed health: each check's failure makes the whole answer degraded, and says which check failed.</summary>
public class HealthServiceTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly ScriptedStatusListStore _lists = new();
    private readonly ScriptedProbe _storage = new();
    private readonly StatusListOptions _options = new() { PublishDelay = TimeSpan.FromSeconds(10), TimeToLive = TimeSpan.FromMinutes(5) };
    private IKeyRingProvider _keys = new FixedKeyRing(KeyRing.CreateNew(Now));

    private HealthService Service => new(_storage, _keys, _lists, _options, _clock);

    [Fact]
    public async Task Everything_well_is_up_with_each_check_named()
    {
        var report = await Service.CheckAsync(default);

        Assert.Equal(HealthStatus.Up, report.Status);
        Assert.Equal([HealthService.Storage, HealthService.KeyRing, HealthService.StatusLists], report.Checks.Select(c => c.Name));
        Assert.All(report.Checks, c => Assert.True(c.Healthy));
        Assert.Equal(Now, report.CheckedAt);
    }

    [Fact]
    public async Task A_change_unpublished_for_longer_than_delay_plus_ttl_is_degraded_and_one_within_it_is_not()
    {
        _lists.Changes = 3;
        _lists.DirtySince = Now;

        _clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(10));
        var justInTime = await Service.CheckAsync(default);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var late = await Service.CheckAsync(default);

        Assert.Equal(HealthStatus.Up, justInTime.Status);
        Assert.Equal(HealthStatus.Degraded, late.Status);
        var lists = Assert.Single(late.Checks, c => !c.Healthy);
        Assert.Equal(HealthService.StatusLists, lists.Name);
        Assert.Contains("List(s) 1 ", lists.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_storage_is_degraded_without_echoing_the_error_message()
    {
        _storage.Failure = new InvalidOperationException("https://secret-account.blob.core.windows.net/ refused");

        var report = await Service.CheckAsync(default);

        Assert.Equal(HealthStatus.Degraded, report.Status);
        var storage = Assert.Single(report.Checks, c => !c.Healthy);
        Assert.Equal(HealthService.Storage, storage.Name);
        Assert.DoesNotContain("secret-account", storage.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_ring_that_cannot_be_loaded_is_degraded()
    {
        _keys = new FailingKeyRing();

        var report = await Service.CheckAsync(default);

        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Equal(HealthService.KeyRing, Assert.Single(report.Checks, c => !c.Healthy).Name);
    }

    private sealed class ScriptedProbe : IStorageProbe
    {
        public Exception? Failure { get; set; }

        public Task ProbeAsync(CancellationToken cancellationToken) => Failure is null ? Task.CompletedTask : Task.FromException(Failure);
    }

    private sealed class FailingKeyRing : IKeyRingProvider
    {
        public ValueTask<KeyRing> GetAsync(CancellationToken cancellationToken) => ValueTask.FromException<KeyRing>(new InvalidDataException("The key ring document is corrupt."));
    }
}
