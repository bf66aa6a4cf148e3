using System.Text.Json;
using ELicence.Core.Credentials;
using ELicence.Core.Keys;
using ELicence.Core.Problems;
using ELicence.Core.Serialization;
using ELicence.Core.StatusLists;
using ELicence.Core.Verification;
using ELicence.Jose;

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
    internal static readonly TimeSpan JwksMaxAge = TimeSpan.FromHours(1);
    internal static readonly JsonSerializerOptions Output = new(ElicenceJson.Options) { WriteIndented = true };

    public static async Task<int> RunAsync(string[] args, HttpClient http, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(time);
        if (!ToolOptions.TryParse(args, "verify", [], time, out var options))
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        try
        {
            var jws = await ToolOptions.ReadInputAsync(options.InputFile, cancellationToken);
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
}
