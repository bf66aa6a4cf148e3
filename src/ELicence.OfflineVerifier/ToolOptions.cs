using System.Globalization;

namespace ELicence.OfflineVerifier;

/// <summary>
/// The options every command shares: <c>&lt;command&gt; &lt;file|-&gt; --service &lt;url&gt; [--issuer &lt;id&gt;] [--cache &lt;dir&gt;] [--offline] [--now &lt;time&gt;]</c>,
/// plus the command's own repeatable options that take a value (in the order given).
/// </summary>
internal sealed record ToolOptions(string InputFile, string Service, string IssuerId, string CacheDirectory, bool Offline, DateTimeOffset Now, IReadOnlyList<KeyValuePair<string, string>> Extra)
{
    public static bool TryParse(string[] args, string command, IReadOnlyCollection<string> extraOptions, TimeProvider time, out ToolOptions options)
    {
        options = null!;
        if (args.Length < 2 || args[0] != command)
        {
            return false;
        }

        string? service = null, issuer = null, cache = null;
        var now = time.GetUtcNow();
        var offline = false;
        var extra = new List<KeyValuePair<string, string>>();
        for (var i = 2; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--offline":
                    offline = true;
                    break;
                case "--service" when i + 1 < args.Length:
                    service = args[++i];
                    break;
                case "--issuer" when i + 1 < args.Length:
                    issuer = args[++i];
                    break;
                case "--cache" when i + 1 < args.Length:
                    cache = args[++i];
                    break;
                case "--now" when i + 1 < args.Length && DateTimeOffset.TryParse(args[i + 1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at):
                    now = at;
                    i++;
                    break;
                case var name when extraOptions.Contains(name) && i + 1 < args.Length:
                    extra.Add(new(name, args[++i]));
                    break;
                default:
                    return false;
            }
        }

        if (!Uri.TryCreate(service, UriKind.Absolute, out var serviceUri) || serviceUri.Scheme is not ("http" or "https"))
        {
            return false;
        }

        var root = serviceUri.ToString().TrimEnd('/');
        options = new ToolOptions(args[1], root, issuer ?? root, cache ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "elicence"), offline, now, extra);
        return true;
    }

    /// <summary>The file's text, or standard input for <c>-</c>, without surrounding whitespace.</summary>
    public static async Task<string> ReadInputAsync(string file, CancellationToken cancellationToken) =>
        (file == "-" ? await Console.In.ReadToEndAsync(cancellationToken) : await File.ReadAllTextAsync(file, cancellationToken)).Trim();
}
