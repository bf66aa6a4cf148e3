using System.Globalization;
using ELicence.Core.Callers;
using Microsoft.Extensions.Hosting;

namespace ELicence.LocalHost;

/// <summary>
/// Creates a registrar key and a verifier key at every start of the local host, prints them and writes them to
/// .local/dev-keys.env so a newcomer can `source` it. Only hashes are stored, so earlier keys cannot be shown again (they stay valid).
/// </summary>
public sealed class DevelopmentCallers(ApiKeyService keys, LocalHostSettings settings) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var registrar = await keys.CreateAsync(Role.Registrar, "registrar:atushi-amr", "阿图什市市场监督管理局 (local)", null, cancellationToken);
        var verifier = await keys.CreateAsync(Role.Verifier, "verifier:demo-bank", "Demo Bank of Atushi (local)", null, cancellationToken);
        var lines = string.Create(CultureInfo.InvariantCulture, $"""
            export ELICENCE_REGISTRAR_KEY={registrar.Key}
            export ELICENCE_VERIFIER_KEY={verifier.Key}

            """);
        Console.WriteLine("Development API keys (send as X-API-Key):");
        Console.Write(lines);
        if (!string.IsNullOrEmpty(settings.DevKeysFile))
        {
            var path = Path.Combine(RepositoryFiles.Root(), settings.DevKeysFile);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, lines, cancellationToken);
            Console.WriteLine($"Written to {path}: run `source {settings.DevKeysFile}` in your shell.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
