namespace ELicence.IntegrationTests.Operations;

/// <summary>
/// The short form of the chaos run (bench/chaos-run.mjs, issue 25): a mixed load while the host is killed with SIGKILL
/// five times and Azurite is stopped once for 5–15 s, then every invariant (issued exactly once, contiguous histories,
/// the change feed, the transparency log, status lists, webhooks, poison queues, no 500 or hang). The full run is in
/// docs/operations.md.
/// </summary>
public class ChaosRunTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact(Skip = "Flaky until the host waits for storage at start and the script survives a slow Azurite restart (docs/operations.md, Chaos run); run bench/chaos-run.mjs by hand meanwhile.")]
    public async Task A_short_chaos_run_keeps_every_invariant_through_five_host_kills_and_a_storage_outage()
    {
        var (exitCode, output, error) = await ExternalProcess.RunAsync(
            "node",
            ["bench/chaos-run.mjs", "--configuration", Configuration, "--duration", "45", "--kills", "5", "--outages", "1", "--workers", "4", "--drain", "120", "--timeout", "60"],
            timeLimit: TimeSpan.FromMinutes(10));

        Assert.True(exitCode == 0, $"the chaos run failed:\n{output}\n{error}");
        Assert.Matches(@"host kills survived \(SIGKILL \+ restart\)\s+5 of 5", output);
        Assert.Matches(@"storage outages survived \(Azurite stopped 5–15 s\)\s+1 of 1", output);
        Assert.Contains("every invariant holds", output, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", output, StringComparison.Ordinal);
    }
}
