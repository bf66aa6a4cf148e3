using System.Globalization;
using ELicence.Core.Keys;
using ELicence.Core.StatusLists;

namespace ELicence.Core.Operations;

public enum HealthStatus
{
    Up,
    Degraded,
}

/// <summary>One thing the service depends on, and whether it is well.</summary>
public sealed record HealthCheck(string Name, bool Healthy, string Detail);

/// <summary>The detailed answer for operators; the anonymous one shows only <see cref="Status"/>.</summary>
public sealed record HealthReport(HealthStatus Status, DateTimeOffset CheckedAt, IReadOnlyList<HealthCheck> Checks);

/// <summary>Reaches the storage account (tables, blobs, queues) with one cheap read each; throws when it cannot.</summary>
public interface IStorageProbe
{
    Task ProbeAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Whether the service can do its work: storage reachable, the key ring loaded with an active signing key, and every status
/// list fresh, i.e. no change left unpublished for longer than the publish delay plus the list's <c>ttl</c> (after that a
/// verifier honouring the ttl may act on a list that no longer says what the register says).
/// </summary>
public sealed class HealthService(IStorageProbe storage, IKeyRingProvider keys, IStatusListStore statusLists, StatusListOptions options, TimeProvider time)
{
    public const string Storage = "storage";
    public const string KeyRing = "key-ring";
    public const string StatusLists = "status-lists";

    /// <summary>A check that has not answered by then counts as failed: a health answer must come quickly.</summary>
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = await Task.WhenAll(
            RunAsync(Storage, async token =>
            {
                await storage.ProbeAsync(token);
                return (true, "Tables, blobs and queues answer.");
            }, cancellationToken),
            RunAsync(KeyRing, async token =>
            {
                var ring = await keys.GetAsync(token);
                return (true, $"Signing with key {ring.Signing.KeyId}; {ring.Keys.Count} key(s) in the ring.");
            }, cancellationToken),
            RunAsync(StatusLists, CheckStatusListsAsync, cancellationToken));
        return new HealthReport(checks.All(c => c.Healthy) ? HealthStatus.Up : HealthStatus.Degraded, time.GetUtcNow(), checks);
    }

    private async Task<(bool, string)> CheckStatusListsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var allowed = options.PublishDelay + options.TimeToLive;
        var stale = new List<int>();
        var pending = 0;
        await foreach (var state in statusLists.GetDirtyAsync(cancellationToken))
        {
            pending++;
            if (state.DirtySince is { } since && now - since > allowed)
            {
                stale.Add(state.ListNumber);
            }
        }

        return stale.Count == 0
            ? (true, string.Create(CultureInfo.InvariantCulture, $"Every list is published within {allowed.TotalSeconds:0.#} s of a change ({pending} publish(es) pending)."))
            : (false, string.Create(CultureInfo.InvariantCulture, $"List(s) {string.Join(", ", stale.Order())} have changes unpublished for longer than {allowed.TotalSeconds:0.#} s (publish delay + ttl)."));
    }

    private static async Task<HealthCheck> RunAsync(string name, Func<CancellationToken, Task<(bool Healthy, string Detail)>> check, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            var (healthy, detail) = await check(timeout.Token);
            return new HealthCheck(name, healthy, detail);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Only the failure's kind: an operator endpoint still should not echo storage URLs or secrets from messages.
            return new HealthCheck(name, false, $"Failed: {e.GetType().Name}.");
        }
    }
}
