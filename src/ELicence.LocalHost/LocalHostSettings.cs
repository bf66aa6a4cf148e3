using Microsoft.Extensions.Configuration;

namespace ELicence.LocalHost;

/// <summary>
/// Settings of the local host, from <c>local.settings.json</c> (or the committed sample) in the Functions format,
/// with environment variables and command-line arguments taking precedence as they do under Core Tools.
/// </summary>
public sealed class LocalHostSettings
{
    public string Urls { get; set; } = "http://localhost:7071";

    public bool StartAzurite { get; set; } = true;

    public string AzuriteLocation { get; set; } = ".azurite";

    public bool CreateDevKeys { get; set; } = true;

    public string? DevKeysFile { get; set; } = ".local/dev-keys.env";

    /// <summary>Overrides host.json's queue visibility timeout (how long a failed message waits before it is retried).</summary>
    public TimeSpan? QueueRetryDelay { get; set; }

    /// <summary>
    /// How long a queue message stays hidden while its function works on it, renewed at half of it: after the host is killed
    /// its messages in work reappear within this time (the Functions host renews its own lease the same way).
    /// </summary>
    public TimeSpan QueueLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an idle queue is polled: the longest wait of the back-off, which starts at 10 ms after each message.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    public static LocalHostSettings Read(string[] args) => Read(BuildConfiguration(args));

    public static LocalHostSettings Read(IConfiguration configuration) =>
        configuration.GetSection("LocalHost").Get<LocalHostSettings>() ?? new LocalHostSettings();

    public static IConfiguration BuildConfiguration(string[] args)
    {
        var builder = new ConfigurationBuilder();
        AddLocalSettings(builder);
        return builder.AddEnvironmentVariables().AddCommandLine(args).Build();
    }

    /// <summary>Adds the Values of local.settings.json (or local.settings.sample.json), "__" meaning ":" as in environment variables.</summary>
    public static void AddLocalSettings(IConfigurationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var file = RepositoryFiles.Find("src/ELicence.Functions/local.settings.json") ?? RepositoryFiles.Find("local.settings.json") ?? RepositoryFiles.Find("local.settings.sample.json");
        if (file is null)
        {
            return;
        }

        var values = new ConfigurationBuilder().AddJsonFile(file, optional: false).Build().GetSection("Values").AsEnumerable(makePathsRelative: true)
            .Where(kv => kv.Value is not null)
            .ToDictionary(kv => kv.Key.Replace("__", ":", StringComparison.Ordinal), kv => kv.Value);
        builder.AddInMemoryCollection(values);
    }
}

/// <summary>Finds files of the repository from wherever the host was started.</summary>
public static class RepositoryFiles
{
    public static string? Find(string relativePath)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relativePath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }

                if (Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, "ELicence.sln")))
                {
                    break; // the repository root: look no higher
                }
            }
        }

        return null;
    }

    public static string Root() =>
        Path.GetDirectoryName(Find("ELicence.sln") ?? throw new InvalidOperationException("Run the local host from inside the ELicence repository.")) !;
}
