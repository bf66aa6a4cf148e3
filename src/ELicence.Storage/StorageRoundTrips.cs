using Azure.Core;
using Azure.Core.Pipeline;

namespace ELicence.Storage;

/// <summary>
/// Counts storage round trips (every HTTP request the Azure SDK clients send, retries included) within an ambient scope,
/// e.g. one API request. It is how the hot path's cost in Azure — latency there is the number of round trips, not CPU —
/// is measured and held down: a test fails if a verification needs more, and the load script reports the figure.
/// </summary>
public sealed class StorageRoundTrips : HttpPipelinePolicy
{
    private static readonly AsyncLocal<Counter?> Ambient = new();

    /// <summary>Starts counting the round trips of the current async flow (and the flows it starts) until disposed.</summary>
    public static Scope Begin()
    {
        var previous = Ambient.Value;
        var counter = new Counter();
        Ambient.Value = counter;
        return new Scope(counter, previous);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Ambient.Value?.Increment();
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Ambient.Value?.Increment();
        return ProcessNextAsync(message, pipeline);
    }

    public sealed class Counter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        internal void Increment() => Interlocked.Increment(ref _count);
    }

    public sealed class Scope(Counter counter, Counter? previous) : IDisposable
    {
        /// <summary>Round trips so far in this scope.</summary>
        public int Count => counter.Count;

        public void Dispose() => Ambient.Value = previous;
    }
}
