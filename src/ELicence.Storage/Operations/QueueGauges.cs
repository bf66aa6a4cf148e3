using System.Diagnostics.Metrics;
using ELicence.Core.Operations;

namespace ELicence.Storage.Operations;

/// <summary>
/// Observable gauges read from the queues when metrics are collected: the age of the oldest visible message of each work
/// queue (work is waiting), and the length of each poison queue (work has failed for good; the alert rule watches it).
/// </summary>
public sealed class QueueGauges : IDisposable
{
    public const string QueueAge = "elicence.queue.age";
    public const string PoisonQueueLength = "elicence.queue.poison.length";

    private const string PoisonSuffix = "-poison";
    private readonly Meter _meter = new(ElicenceTelemetry.Name);
    private readonly StorageClients _storage;
    private readonly TimeProvider _time;

    public QueueGauges(StorageClients storage, TimeProvider time)
    {
        _storage = storage;
        _time = time;
        var queues = StorageNames.Queues.Where(q => !q.EndsWith(PoisonSuffix, StringComparison.Ordinal)).ToList();
        var poison = StorageNames.Queues.Where(q => q.EndsWith(PoisonSuffix, StringComparison.Ordinal)).ToList();
        _meter.CreateObservableGauge(QueueAge, () => Measure(queues, OldestAgeSeconds), "s", "Age of the oldest visible message of each work queue (0 when empty).");
        _meter.CreateObservableGauge(PoisonQueueLength, () => Measure(poison, ApproximateLength), "{message}", "Messages in each poison queue: issuance or status work that failed every retry.");
    }

    public void Dispose() => _meter.Dispose();

    /// <summary>One measurement per queue that answers; a queue that cannot be read is left out rather than reported as 0.</summary>
    private static List<Measurement<double>> Measure(IReadOnlyList<string> queues, Func<string, double> read)
    {
        var measurements = new List<Measurement<double>>();
        foreach (var queue in queues)
        {
            try
            {
                measurements.Add(new Measurement<double>(read(queue), new KeyValuePair<string, object?>("queue", queue)));
            }
            catch (RequestFailedException)
            {
            }
        }

        return measurements;
    }

    private double OldestAgeSeconds(string queue)
    {
        var peeked = _storage.Queue(queue).PeekMessage().Value;
        return peeked?.InsertedOn is { } inserted ? Math.Max(0, (_time.GetUtcNow() - inserted).TotalSeconds) : 0;
    }

    private double ApproximateLength(string queue) => _storage.Queue(queue).GetProperties().Value.ApproximateMessagesCount;
}
