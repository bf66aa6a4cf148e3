using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using ELicence.Core.Problems;
using Microsoft.Extensions.Options;

namespace ELicence.Functions.Http;

/// <summary>The rate-limit policies of anonymous endpoints; a function names its policy when it calls <see cref="HttpApi.RunAnonymousAsync(HttpRequest, RatePolicy, Func{Task{Microsoft.AspNetCore.Mvc.IActionResult}})"/>.</summary>
public enum RatePolicy
{
    /// <summary>Reads anyone may make: JWKS, status lists, open deregistration notices, the JSON-LD context.</summary>
    Anonymous,

    /// <summary>Objections to deregistration notices: anonymous writes, so far stricter.</summary>
    Objections,
}

/// <summary>Which address identifies a client for rate limiting.</summary>
public enum ClientAddressSource
{
    /// <summary>The TCP peer: right when nothing sits in front of the app (the local host).</summary>
    Connection,

    /// <summary>The first X-Forwarded-For entry: the original client, when the front end (Front Door, API Management) overwrites what clients send.</summary>
    FirstForwardedFor,

    /// <summary>The last X-Forwarded-For entry: the address the nearest proxy saw, when one proxy appends to what clients send.</summary>
    LastForwardedFor,
}

/// <summary>One policy: a token bucket refilled at <see cref="Permits"/> per <see cref="Window"/>, holding at most <see cref="Burst"/>.</summary>
public sealed class RatePolicyOptions
{
    [Range(1, int.MaxValue)]
    public int Permits { get; set; }

    public TimeSpan Window { get; set; }

    [Range(1, int.MaxValue)]
    public int Burst { get; set; }

    internal bool IsValid => Permits >= 1 && Burst >= 1 && Window > TimeSpan.Zero;
}

/// <summary>Configuration section <c>RateLimits</c>: per-client limits of the anonymous endpoints, enforced by each instance.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public RatePolicyOptions Anonymous { get; set; } = new() { Permits = 120, Window = TimeSpan.FromMinutes(1), Burst = 60 };

    public RatePolicyOptions Objections { get; set; } = new() { Permits = 5, Window = TimeSpan.FromHours(1), Burst = 3 };

    public ClientAddressSource ClientAddress { get; set; } = ClientAddressSource.Connection;

    public RatePolicyOptions For(RatePolicy policy) => policy switch
    {
        RatePolicy.Anonymous => Anonymous,
        RatePolicy.Objections => Objections,
        _ => throw new ArgumentOutOfRangeException(nameof(policy)),
    };

    internal bool IsValid => Anonymous.IsValid && Objections.IsValid && Enum.IsDefined(ClientAddress);
}

/// <summary>
/// Per-client token buckets (System.Threading.RateLimiting), one partitioned limiter per policy. A partition whose bucket
/// has been full for a while is dropped by the limiter itself, so memory follows the number of active clients.
/// </summary>
public sealed class ClientRateLimiter : IDisposable
{
    private readonly RateLimitOptions _options;
    private readonly Dictionary<RatePolicy, PartitionedRateLimiter<string>> _limiters;

    public ClientRateLimiter(IOptions<RateLimitOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _limiters = Enum.GetValues<RatePolicy>().ToDictionary(p => p, p => Create(_options.For(p)));
    }

    /// <summary>
    /// Takes one permit for the request's client or throws a rate-limited problem. Either way the response carries the
    /// IETF draft <c>RateLimit-Policy</c> and <c>RateLimit</c> fields, and a refusal also <c>Retry-After</c>.
    /// </summary>
    public void Admit(RatePolicy policy, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = _options.For(policy);
        var limiter = _limiters[policy];
        var client = ClientOf(request);
        using var lease = limiter.AttemptAcquire(client);
        var name = policy.ToString().ToLowerInvariant();
        var headers = request.HttpContext.Response.Headers;
        headers["RateLimit-Policy"] = Invariant($"\"{name}\";q={settings.Permits};w={(long)Math.Ceiling(settings.Window.TotalSeconds)}");
        if (lease.IsAcquired)
        {
            var remaining = (int)(limiter.GetStatistics(client)?.CurrentAvailablePermits ?? 0);
            var refill = RefillPeriod(settings);
            var untilFull = refill.Period * Math.Ceiling((double)(settings.Burst - remaining) / refill.Tokens);
            headers["RateLimit"] = Invariant($"\"{name}\";r={remaining};t={(long)Math.Ceiling(untilFull.TotalSeconds)}");
            return;
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : RefillPeriod(settings).Period;
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        headers["RateLimit"] = Invariant($"\"{name}\";r=0;t={seconds}");
        headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        throw new ProblemException(ProblemType.RateLimited, Invariant(
            $"Too many requests from this client ({name}: {settings.Permits} per {settings.Window:c}, bursts of up to {settings.Burst}). Retry in {seconds} s."));
    }

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }
    }

    /// <summary>The client's partition key: its address per <see cref="RateLimitOptions.ClientAddress"/>; an IPv6 client by its /64, which one subscriber usually holds whole.</summary>
    public string ClientOf(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var address = _options.ClientAddress switch
        {
            ClientAddressSource.FirstForwardedFor => Forwarded(request, first: true),
            ClientAddressSource.LastForwardedFor => Forwarded(request, first: false),
            _ => null,
        } ?? request.HttpContext.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }

        return address.ToString();
    }

    private static IPAddress? Forwarded(HttpRequest request, bool first)
    {
        var entries = request.Headers["X-Forwarded-For"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (entries.Count == 0)
        {
            return null;
        }

        var entry = first ? entries[0] : entries[^1];
        return IPAddress.TryParse(entry, out var address) ? address : IPEndPoint.TryParse(entry, out var endpoint) ? endpoint.Address : null;
    }

    private static PartitionedRateLimiter<string> Create(RatePolicyOptions settings)
    {
        var refill = RefillPeriod(settings);
        return PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.Burst,
            TokensPerPeriod = refill.Tokens,
            ReplenishmentPeriod = refill.Period,
            QueueLimit = 0,
            AutoReplenishment = false, // the partitioned limiter replenishes all partitions on one timer
        }));
    }

    /// <summary>One token per Window/Permits, but never a period under a second (the partitioned limiter ticks at 100 ms).</summary>
    private static (int Tokens, TimeSpan Period) RefillPeriod(RatePolicyOptions settings)
    {
        var period = settings.Window / settings.Permits;
        return period >= TimeSpan.FromSeconds(1)
            ? (1, period)
            : ((int)Math.Min(int.MaxValue, Math.Ceiling(settings.Permits / settings.Window.TotalSeconds)), TimeSpan.FromSeconds(1));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
