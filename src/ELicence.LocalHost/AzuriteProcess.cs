using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace ELicence.LocalHost;

/// <summary>
/// Azurite, the Azure Storage emulator, from the repository's node_modules (installed by <c>npm ci</c>). Started only when the
/// configured storage is the development storage and nothing listens on its ports already.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private readonly Process? _process;

    private AzuriteProcess(Process? process) => _process = process;

    public int? BlobPort { get; private init; }

    public int? QueuePort { get; private init; }

    public int? TablePort { get; private init; }

    /// <summary>An Azurite connection string for the given ports (the well-known development account).</summary>
    public static string ConnectionString(int blob, int queue, int table) =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";

    public static async Task<AzuriteProcess> StartIfNeededAsync(LocalHostSettings settings, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        var storage = LocalHostSettings.BuildConfiguration([])["AzureWebJobsStorage"];
        if (!settings.StartAzurite || storage is null || !storage.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase))
        {
            return new AzuriteProcess(null);
        }

        if (await IsListeningAsync(10000) && await IsListeningAsync(10001) && await IsListeningAsync(10002))
        {
            await log.WriteLineAsync("Azurite is already running on 127.0.0.1:10000-10002; using it.");
            return new AzuriteProcess(null);
        }

        var location = Path.Combine(RepositoryFiles.Root(), settings.AzuriteLocation);
        var azurite = await StartAsync(10000, 10001, 10002, location, log);
        await log.WriteLineAsync($"Started Azurite (data in {location}).");
        return azurite;
    }

    /// <summary>Starts Azurite on the given ports; a null location keeps everything in memory (tests).</summary>
    public static async Task<AzuriteProcess> StartAsync(int blobPort, int queuePort, int tablePort, string? location, TextWriter? log)
    {
        var script = RepositoryFiles.Find("node_modules/azurite/dist/src/azurite.js")
            ?? throw new InvalidOperationException("Azurite is not installed: run 'npm ci' in the repository root first.");
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        foreach (var arg in new[]
        {
            "--blobHost", "127.0.0.1", "--blobPort", blobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", queuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", tablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // --disableTelemetry: Azurite otherwise records usage telemetry for Microsoft on every run (privacy).
            "--skipApiVersionCheck", "--disableProductStyleUrl", "--silent", "--disableTelemetry",
        })
        {
            info.ArgumentList.Add(arg);
        }

        if (location is null)
        {
            info.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            // Azurite's data holds the local key ring and the webhook secret key: a folder only its owner can enter.
            PrivateFiles.CreateDirectory(location);
            info.ArgumentList.Add("--location");
            info.ArgumentList.Add(location);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start node.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { log?.WriteLine("[azurite] " + e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { log?.WriteLine("[azurite] " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await IsListeningAsync(blobPort) && await IsListeningAsync(queuePort) && await IsListeningAsync(tablePort)))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"Azurite did not start on ports {blobPort}-{tablePort} (exit code {(process.HasExited ? process.ExitCode : -1)}).");
            }

            await Task.Delay(100);
        }

        return new AzuriteProcess(process) { BlobPort = blobPort, QueuePort = queuePort, TablePort = tablePort };
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port).WaitAsync(TimeSpan.FromMilliseconds(500));
            return true;
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            return false;
        }
    }
}
