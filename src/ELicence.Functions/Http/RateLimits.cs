using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ELicence.Functions.Http;

/// <summary>
/// The rate-limit policies. Anonymous endpoints name theirs when they call <see cref="HttpApi.RunAnonymousAsync(HttpRequest, RatePolicy, Func{Task{Microsoft.AspNetCore.Mvc.IActionResult}})"/>
/// (one bucket per client address); an authenticated request takes one permit of its caller's role policy (one bucket per
/// caller: a verifier organisation, a licence's holder, a registrar), unless its endpoint names another.
/// </summary>
public enum RatePolicy
{
    /// <summary>Reads anyone may make: JWKS, status lists, open deregistration notices, the JSON-LD context.</summary>
    Anonymous,

    /// <summary>Objections to deregistration notices: anonymous writes, so far stricter.</summary>
    Objections,

    /// <summary>Searches of the public register from the public page: anonymous and each one several index reads, so stricter than <see cref="Anonymous"/>.</summary>
    RegisterSearch,

    /// <summary>Every request of a registrar.</summary>
    Registrar,

    /// <summary>Every request of a licence's holder (all its keys together).</summary>
    Holder,

    /// <summary>Every request of a verifier organisation (all its keys together), except batch verifications.</summary>
    Verifier,

    /// <summary>Batch verifications of a verifier organisation: one permit per batch, whatever its size (at most 500 items), instead of a <see cref="Verifier"/> permit.</summary>
    VerificationBatch,

    /// <summary>
    /// Failed authentications of one client address (a 401 takes a permit; a success takes none): once spent, the client's
    /// next attempt is refused before its key is looked up, so guessing keys costs the guesser time, not the service storage.
    /// </summary>
    FailedAuthentication,
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

/// <summary>Configuration section <c>RateLimits</c>: per-client limits of the anonymous endpoints and per-caller limits of the others, enforced by each instance.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    public RatePolicyOptions Anonymous { get; set; } = new() { Permits = 120, Window = TimeSpan.FromMinutes(1), Burst = 60 };

    public RatePolicyOptions Objections { get; set; } = new() { Permits = 5, Window = TimeSpan.FromHours(1), Burst = 3 };

    public RatePolicyOptions RegisterSearch { get; set; } = new() { Permits = 30, Window = TimeSpan.FromMinutes(1), Burst = 10 };

    public RatePolicyOptions Registrar { get; set; } = new() { Permits = 600, Window = TimeSpan.FromMinutes(1), Burst = 300 };

    public RatePolicyOptions Holder { get; set; } = new() { Permits = 60, Window = TimeSpan.FromMinutes(1), Burst = 30 };

    public RatePolicyOptions Verifier { get; set; } = new() { Permits = 300, Window = TimeSpan.FromMinutes(1), Burst = 100 };

    public RatePolicyOptions VerificationBatch { get; set; } = new() { Permits = 60, Window = TimeSpan.FromHours(1), Burst = 10 };

    public RatePolicyOptions FailedAuthentication { get; set; } = new() { Permits = 30, Window = TimeSpan.FromMinutes(1), Burst = 20 };

    public ClientAddressSource ClientAddress { get; set; } = ClientAddressSource.Connection;

    public RatePolicyOptions For(RatePolicy policy) => policy switch
    {
        RatePolicy.Anonymous => Anonymous,
        RatePolicy.Objections => Objections,
        RatePolicy.RegisterSearch => RegisterSearch,
        RatePolicy.Registrar => Registrar,
        RatePolicy.Holder => Holder,
        RatePolicy.Verifier => Verifier,
        RatePolicy.VerificationBatch => VerificationBatch,
        RatePolicy.FailedAuthentication => FailedAuthentication,
        _ => throw new ArgumentOutOfRangeException(nameof(policy)),
    };

    /// <summary>The policy an authenticated caller's requests count against unless the endpoint names another.</summary>
    public static RatePolicy PolicyOf(Role role) => role switch
    {
        Role.Registrar => RatePolicy.Registrar,
        Role.Holder => RatePolicy.Holder,
        Role.Verifier => RatePolicy.Verifier,
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    internal bool IsValid => Enum.GetValues<RatePolicy>().All(p => For(p).IsValid) && Enum.IsDefined(ClientAddress);
}

/// <summary>
/// Per-client token buckets (System.Threading.RateLimiting), one partitioned limiter per policy. A client is an address on
/// anonymous endpoints and the authenticated caller elsewhere. A partition whose bucket has been full for a while is
/// dropped by the limiter itself, so memory follows the number of active clients.
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
    public void Admit(RatePolicy policy, HttpRequest request) => Admit(policy, ClientOf(request), "this client", request);

    /// <summary>Throws the rate-limited problem (429, <c>Retry-After</c>) when the client has no permit of <paramref name="policy"/> left, without taking one.</summary>
    public void EnsureAvailable(RatePolicy policy, HttpRequest request)
    {
        var client = ClientOf(request);
        // The bucket refills in fractions of a permit, so "permits left" means a whole one; with none, Admit refuses as usual.
        if (_limiters[policy].GetStatistics(client)?.CurrentAvailablePermits < 1)
        {
            Admit(policy, client, "this client", request);
        }
    }

    /// <summary>Takes one permit of <paramref name="policy"/> for the request's client if it has one; never refuses (the request's own answer stands).</summary>
    public void Spend(RatePolicy policy, HttpRequest request)
    {
        using var lease = _limiters[policy].AttemptAcquire(ClientOf(request));
    }

    /// <summary>Takes one permit of <paramref name="policy"/> for the authenticated caller (all keys of an organisation share it), as <see cref="Admit(RatePolicy, HttpRequest)"/> does for an address.</summary>
    public void Admit(RatePolicy policy, Caller caller, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(caller);
        Admit(policy, "caller:" + caller.Id, $"this {caller.Role.ToString().ToLowerInvariant()}", request);
    }

    private void Admit(RatePolicy policy, string client, string who, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = _options.For(policy);
        var limiter = _limiters[policy];
        using var lease = limiter.AttemptAcquire(client);
        var name = JsonNamingPolicy.KebabCaseLower.ConvertName(policy.ToString());
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
            $"Too many requests from {who} ({name}: {settings.Permits} per {settings.Window:c}, bursts of up to {settings.Burst}). Retry in {seconds} s."));
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
