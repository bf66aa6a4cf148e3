using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ELicence.IntegrationTests;

/// <summary>One entry the host logged.</summary>
public sealed record CapturedLog(long Sequence, string Category, LogLevel Level, string Message, Exception? Exception);

/// <summary>
/// Keeps what the test host logs (at the levels its settings let through), so a test can assert what was written for the
/// requests it sent, e.g. that a client's fault left no Error entry.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();
    private long _sequence;

    /// <summary>A mark to read the entries written after it.</summary>
    public long Mark() => Interlocked.Read(ref _sequence);

    public IReadOnlyList<CapturedLog> Since(long mark) => [.. _entries.Where(e => e.Sequence > mark)];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(string category, LogLevel level, string message, Exception? exception)
    {
        _entries.Enqueue(new CapturedLog(Interlocked.Increment(ref _sequence), category, level, message, exception));
        while (_entries.Count > 10_000 && _entries.TryDequeue(out _))
        {
        }
    }

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            logs.Add(category, logLevel, formatter(state, exception), exception);
        }
    }
}
