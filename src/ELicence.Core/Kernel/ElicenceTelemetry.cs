using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ELicence.Core.Kernel;

/// <summary>
/// The service's own OpenTelemetry signals: spans around verification, issuance and status-list publication, and the
/// counters and histograms beside them. Both the Functions app and the local host subscribe to <see cref="Name"/>.
/// </summary>
public static class ElicenceTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "ELicence";

    public const string VerifySpan = "elicence.verify";
    public const string IssueSpan = "elicence.issue";
    public const string PublishStatusListSpan = "elicence.status-list.publish";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Verifications by <c>outcome</c> (valid, invalid; problem for a batch item that could not be checked) and <c>kind</c> (single, batch).</summary>
    public static readonly Counter<long> Verifications = Meter.CreateCounter<long>("elicence.verifications", "{verification}", "Verifications by outcome.");

    /// <summary>From the application's acceptance to its licence being issued (policy measure 1: in seconds, not days).</summary>
    public static readonly Histogram<double> IssuanceLatency = Meter.CreateHistogram<double>("elicence.issuance.latency", "s", "Time from an application's acceptance to its licence being issued.");

    public static void CountVerification(string outcome, string kind) =>
        Verifications.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("kind", kind));
}
