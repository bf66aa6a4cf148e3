using System.Text.RegularExpressions;
using ELicence.Core.Keys;
using ELicence.Core.Serialization;
using ELicence.Core.StatusLists;
using ELicence.Core.Verification;
using ELicence.Jose;

namespace ELicence.OfflineVerifier;

/// <summary>
/// The verifier's cache: <c>jwks.json</c> and one <c>{purpose}-{n}.jwt</c> per status list, in one folder per issuer. A list
/// is refreshed when missing or when its <c>validFrom</c> + <c>ttl</c> has passed; the JWKS when missing or older than an hour.
/// </summary>
internal sealed partial class OfflineCache(string root, string issuerId, string service, HttpClient http)
{
    private readonly string _directory = Path.Combine(root, SafeName().Replace(issuerId, "_"));

    public async Task RefreshAsync(IReadOnlyList<string> listUrls, DateTimeOffset now, TimeSpan jwksMaxAge, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_directory);
        var jwks = Path.Combine(_directory, "jwks.json");
        if (!File.Exists(jwks) || now - File.GetLastWriteTimeUtc(jwks) >= jwksMaxAge)
        {
            await File.WriteAllTextAsync(jwks, await http.GetStringAsync(new Uri(service + "/.well-known/jwks.json"), cancellationToken), cancellationToken);
        }

        foreach (var url in listUrls)
        {
            // Only lists under the trusted issuer are fetched (a credential cannot send the tool elsewhere), from the service they are mirrored at.
            if (FileOf(url) is not { } file || (File.Exists(file) && !IsStale(await File.ReadAllTextAsync(file, cancellationToken), now)))
            {
                continue;
            }

            await File.WriteAllTextAsync(file, await http.GetStringAsync(new Uri(service + url[issuerId.TrimEnd('/').Length..]), cancellationToken), cancellationToken);
        }
    }

    public OfflineMaterial Load()
    {
        var jwksFile = Path.Combine(_directory, "jwks.json");
        var jwks = File.Exists(jwksFile)
            ? ElicenceJson.Deserialize<JsonWebKeySet>(File.ReadAllText(jwksFile)) ?? throw new InvalidDataException("The cached JWKS is empty.")
            : throw new InvalidDataException($"No cached JWKS in {_directory}; run once without --offline.");
        var lists = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(_directory, "*.jwt"))
        {
            var name = Path.GetFileNameWithoutExtension(file).Split('-', 2);
            if (name.Length == 2 && StatusListCredentials.ParsePurpose(name[0]) is { } purpose && int.TryParse(name[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
            {
                lists[StatusListCredentials.ListUrl(new() { Id = issuerId }, purpose, n)] = File.ReadAllText(file);
            }
        }

        return new OfflineMaterial(issuerId, jwks, lists);
    }

    /// <summary><c>{issuer}/api/v1/status-lists/{purpose}/{n}</c> → <c>{purpose}-{n}.jwt</c>; null for anything else.</summary>
    private string? FileOf(string url)
    {
        var prefix = issuerId.TrimEnd('/') + "/api/v1/status-lists/";
        if (!url.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = url[prefix.Length..].Split('/');
        return parts.Length == 2 && StatusListCredentials.ParsePurpose(parts[0]) is not null && parts[1].Length is > 0 and < 10 && parts[1].All(char.IsAsciiDigit)
            ? Path.Combine(_directory, $"{parts[0]}-{parts[1]}.jwt")
            : null;
    }

    private static bool IsStale(string token, DateTimeOffset now) =>
        !CompactJws.TryParse(token.Trim(), out var parsed, out _)
        || ElicenceJson.Deserialize<StatusListCredentialPayload>(parsed.Payload) is not { } list
        || now >= list.ValidFrom.AddMilliseconds(list.CredentialSubject.Ttl);

    [GeneratedRegex("[^A-Za-z0-9.-]")]
    private static partial Regex SafeName();
}
