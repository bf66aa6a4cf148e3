using System.ComponentModel.DataAnnotations;

namespace ELicence.Core.Webhooks;

/// <summary>How webhook deliveries are retried and when a failing endpoint is disabled (configuration section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string Section = "Webhooks";

    /// <summary>Each attempt's limit, connection and answer together.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The one loopback port that subscriptions may name (http or https, localhost or a loopback address): for a receiver of
    /// the local host and the tests only. Every other loopback port — Azurite, the service itself — stays unreachable. Unset
    /// (the default, and always in Azure): only https URLs that resolve to public addresses. A host not itself on loopback
    /// refuses to start with it (<see cref="WebhookHostCheck"/>).
    /// </summary>
    [Range(1, 65535)]
    public int? AllowHttpLocalhostPort { get; set; }

    /// <summary>How many subscriptions one verifier organisation may hold; one more is refused (409 limit-reached).</summary>
    [Range(1, 1000)]
    public int MaxSubscriptions { get; set; } = 20;

    /// <summary>The delay before the first retry; each further one doubles it, up to <see cref="MaxBackoff"/>, with jitter.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How long a delivery is retried before it is dead-lettered: at least 24 hours.</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A subscription whose every attempt failed for this long is disabled (until its verifier enables it again).</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            yield return new ValidationResult("Webhooks: InitialBackoff must be positive and MaxBackoff at least InitialBackoff.", [nameof(InitialBackoff), nameof(MaxBackoff)]);
        }

        if (RetryFor < TimeSpan.FromHours(24))
        {
            yield return new ValidationResult("Webhooks:RetryFor must be at least 24 hours.", [nameof(RetryFor)]);
        }

        if (DisableAfter <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Webhooks:DisableAfter must be positive.", [nameof(DisableAfter)]);
        }
    }

    /// <summary>The wait after the <paramref name="failedAttempts"/>-th failed attempt: exponential, capped, between half and all of it ("equal jitter").</summary>
    public TimeSpan Backoff(int failedAttempts, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(jitter);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jitter, 1);
        var exponential = InitialBackoff.TotalSeconds * Math.Pow(2, Math.Min(failedAttempts - 1, 30));
        var capped = Math.Min(exponential, MaxBackoff.TotalSeconds);
        return TimeSpan.FromSeconds(capped / 2 + capped / 2 * jitter);
    }
}
