using System.Net.Http;
using System.Net.Sockets;
using Azure;

namespace ELicence.Storage;

/// <summary>
/// Which failures mean "storage cannot be reached right now" rather than a fault of the service: the SDK's transport
/// errors (a <see cref="RequestFailedException"/> without a status, wrapping an <see cref="HttpRequestException"/> or a
/// socket error), its network timeout, storage's own 5xx and 408, and the <see cref="AggregateException"/> its retry policy
/// throws once every attempt failed with one of these. The HTTP layer answers them 503 with Retry-After.
/// </summary>
public static class StorageFailures
{
    /// <summary>Seconds a client is asked to wait before retrying while storage is unreachable.</summary>
    public const int RetryAfterSeconds = 5;

    public static bool IsUnavailable(Exception exception) => exception switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsUnavailable),
        RequestFailedException { Status: 0 } failed => failed.InnerException is null || IsUnavailable(failed.InnerException),
        RequestFailedException failed => failed.Status is 408 or >= 500,
        HttpRequestException or SocketException or TimeoutException => true,
        // The SDK's per-try network timeout surfaces as a cancellation that no caller asked for.
        TaskCanceledException { InnerException: TimeoutException } => true,
        IOException { InnerException: SocketException } => true,
        _ => false,
    };
}
