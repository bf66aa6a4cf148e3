using System.Diagnostics;
using System.Globalization;

namespace ELicence.Benchmarks;

/// <summary>
/// A cross-check of <see cref="InProcessVerificationBenchmarks"/> for a machine shared with other work: BenchmarkDotNet runs
/// the baseline and each benchmark one after another, so on a loaded machine they meet different loads. Here they
/// alternate in short rounds, and each keeps its best round (wall clock and process CPU time per operation): the round least
/// disturbed. <c>dotnet run -c Release --project bench/ELicence.Benchmarks -- interleaved [rounds]</c>
/// </summary>
internal static class InterleavedRatio
{
    private const int PerRound = 1000;

    public static int Run(string[] args)
    {
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 12;
        var bench = new InProcessVerificationBenchmarks();
        bench.Setup();
        var cases = new (string Name, Func<object> Run)[]
        {
            (nameof(bench.BareEd25519VerifyPlusSign), () => bench.BareEd25519VerifyPlusSign()),
            (nameof(bench.CredentialVerification), bench.CredentialVerification),
            (nameof(bench.CodeVerification), bench.CodeVerification),
        };
        var bestWall = cases.ToDictionary(c => c.Name, _ => double.MaxValue);
        var bestCpu = cases.ToDictionary(c => c.Name, _ => double.MaxValue);
        foreach (var (_, run) in cases)
        {
            Measure(run); // warm-up: JIT tiers, caches
        }

        for (var round = 0; round < rounds; round++)
        {
            foreach (var (name, run) in cases)
            {
                var (wall, cpu) = Measure(run);
                bestWall[name] = Math.Min(bestWall[name], wall);
                bestCpu[name] = Math.Min(bestCpu[name], cpu);
            }
        }

        var baseline = cases[0].Name;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rounds} interleaved rounds of {PerRound} operations each; best round per case, µs per operation"));
        Console.WriteLine("| Method | Wall (best) | Ratio | CPU (best) | Ratio |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var (name, _) in cases)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {bestWall[name]:F1} | {bestWall[name] / bestWall[baseline]:F2} | {bestCpu[name]:F1} | {bestCpu[name] / bestCpu[baseline]:F2} |"));
        }

        return 0;
    }

    private static (double Wall, double Cpu) Measure(Func<object> run)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < PerRound; i++)
        {
            run();
        }

        wall.Stop();
        process.Refresh();
        return (wall.Elapsed.TotalMicroseconds / PerRound, (process.TotalProcessorTime - cpu).TotalMicroseconds / PerRound);
    }
}
