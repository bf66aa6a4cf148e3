using System.Globalization;
using System.Text.Json;
using ELicence.Core.Credentials;
using ELicence.Core.Keys;
using ELicence.Core.Problems;
using ELicence.Core.Serialization;
using ELicence.Core.StatusLists;
using ELicence.Core.Verification;

namespace ELicence.OfflineVerifier;

/// <summary>
/// <c>elicence verify &lt;credential.jwt|-&gt; --service &lt;url&gt; [--issuer &lt;id&gt;] [--cache &lt;dir&gt;] [--offline] [--now &lt;time&gt;]</c>:
/// checks a credential with the JWKS and the status lists in the cache, refreshing from the service first (unless
/// <c>--offline</c>) whatever is missing or older than its list's <c>ttl</c>. Prints the answer as JSON; exit code 0 valid,
/// 1 not valid, 2 could not be decided (a status list missing or stale offline) or bad usage.
/// </summary>
public static class VerifyCommand
{
    private const string Usage = "usage: elicence verify <credential.jwt|-> --service <url> [--issuer <issuer id>] [--cache <dir>] [--offline] [--now <ISO-8601>]";
    private static readonly TimeSpan JwksMaxAge = TimeSpan.FromHours(1);
    private static readonly JsonSerializerOptions Output = new(ElicenceJson.Options) { WriteIndented = true };

    public static async Task<int> RunAsync(string[] args, HttpClient http, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(time);
        if (!TryParse(args, time, out var options))
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        try
        {
            var jws = (options.CredentialFile == "-" ? await Console.In.ReadToEndAsync(cancellationToken) : await File.ReadAllTextAsync(options.CredentialFile, cancellationToken)).Trim();
            var cache = new OfflineCache(options.CacheDirectory, options.IssuerId, options.Service, http);
            if (!options.Offline)
            {
                await cache.RefreshAsync(StatusListUrls(jws), options.Now, JwksMaxAge, cancellationToken);
            }

            var result = OfflineVerification.Check(jws, cache.Load(), options.Now);
            await output.WriteLineAsync(JsonSerializer.Serialize(new { result.Valid, result.CreditCode, result.LicenceVersion, CheckedAt = options.Now, result.Reasons, result.NotChecked }, Output));
            return result.Valid switch { true => 0, false => 1, null => 2 };
        }
        catch (Exception e) when (e is ProblemException or IOException or HttpRequestException or JsonException or InvalidDataException)
        {
            await error.WriteLineAsync($"elicence: {e.Message}");
            return 2;
        }
    }

    /// <summary>The status list URLs the credential names (read before its signature is checked: only URLs under the trusted issuer are ever fetched).</summary>
    private static IReadOnlyList<string> StatusListUrls(string jws) =>
        CompactJws.TryParse(jws, out var parsed, out _) && LicenceCredential.TryReadPayload(parsed.Payload) is { CredentialStatus: { } entries }
            ? [.. entries.Select(e => e.StatusListCredential).Distinct(StringComparer.Ordinal)]
            : [];

    private static bool TryParse(string[] args, TimeProvider time, out CommandOptions options)
    {
        options = null!;
        if (args.Length < 2 || args[0] != "verify")
        {
            return false;
        }

        string? service = null, issuer = null, cache = null;
        var now = time.GetUtcNow();
        var offline = false;
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
                default:
                    return false;
            }
        }

        if (!Uri.TryCreate(service, UriKind.Absolute, out var serviceUri) || serviceUri.Scheme is not ("http" or "https"))
        {
            return false;
        }

        var root = serviceUri.ToString().TrimEnd('/');
        options = new CommandOptions(args[1], root, issuer ?? root, cache ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "elicence"), offline, now);
        return true;
    }

    private sealed record CommandOptions(string CredentialFile, string Service, string IssuerId, string CacheDirectory, bool Offline, DateTimeOffset Now);
}
