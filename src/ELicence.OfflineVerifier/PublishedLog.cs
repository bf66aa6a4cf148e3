using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ELicence.Core.Log;
using ELicence.Tlog;

namespace ELicence.OfflineVerifier;

/// <summary>
/// The transparency log as the service publishes it, over plain anonymous GETs: checkpoint, note key, tlog-tiles
/// resources and consistency proofs. Every answer is read with a size limit, so a hostile server cannot exhaust the auditor.
/// </summary>
internal sealed class PublishedLog(HttpClient http, string baseUrl)
{
    public const string LogPath = "/api/v1/log/";

    /// <summary>A full tile of 256 hashes; entry bundles can be larger (256 entries of up to 64 KiB each).</summary>
    private const int MaxTileBytes = TilePath.Width * MerkleHash.Size;

    private const int MaxBundleBytes = TilePath.Width * (2 + EntryBundle.MaxEntryLength);

    private const int MaxProofBytes = 64 * 1024;

    public string BaseUrl { get; } = baseUrl.TrimEnd('/');

    public async Task<string> CheckpointAsync(CancellationToken cancellationToken) =>
        Encoding.UTF8.GetString(await GetAsync(LogPath + "checkpoint", SignedNote.MaxNoteBytes, cancellationToken)
            ?? throw new HttpRequestException($"GET {Url(LogPath + "checkpoint")}: 404 Not Found"));

    public async Task<string> KeyAsync(CancellationToken cancellationToken) =>
        Encoding.UTF8.GetString(await GetAsync(LogPath + "key", 4096, cancellationToken)
            ?? throw new HttpRequestException($"GET {Url(LogPath + "key")}: 404 Not Found")).Trim();

    /// <summary>A tile or entry bundle by its tlog-tiles path (<c>tile/…</c>); null when the server has none.</summary>
    public Task<byte[]?> ResourceAsync(string path, CancellationToken cancellationToken) =>
        GetAsync(LogPath + path, path.StartsWith("tile/entries/", StringComparison.Ordinal) ? MaxBundleBytes : MaxTileBytes, cancellationToken);

    /// <summary>The consistency proof between two tree sizes; the answer must name the sizes asked for.</summary>
    public async Task<IReadOnlyList<byte[]>> ConsistencyProofAsync(long from, long to, CancellationToken cancellationToken)
    {
        var path = string.Create(CultureInfo.InvariantCulture, $"{LogPath}proofs/consistency?from={from}&to={to}");
        var body = await GetAsync(path, MaxProofBytes, cancellationToken) ?? throw new HttpRequestException($"GET {Url(path)}: 404 Not Found");
        try
        {
            using var proof = ParseJson(body, $"the consistency proof from {Url(path)}");
            var root = proof.RootElement;
            return HasInt64(root, "from", from) && HasInt64(root, "treeSize", to)
                ? ProofHashes.Read(root, "hashes", $"the consistency proof from {Url(path)}")
                : throw new InvalidDataException($"the consistency proof from {Url(path)} is not for sizes {from} → {to}");
        }
        catch (InvalidDataException e)
        {
            throw new LogAuditException(e.Message, e);   // the log answered, but not with a proof
        }
    }

    public string Url(string path) => BaseUrl + path;

    internal static JsonDocument ParseJson(byte[] body, string what)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{what} is not JSON: {e.Message}", e);
        }
    }

    private static bool HasInt64(JsonElement root, string name, long expected) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var actual) && actual == expected;

    private async Task<byte[]?> GetAsync(string path, int maxBytes, CancellationToken cancellationToken)
    {
        var url = Url(path);
        using var response = await http.GetAsync(new Uri(url), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {url}: {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        if (response.Content.Headers.ContentLength > maxBytes)
        {
            throw TooLarge(url, maxBytes);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(url, maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    // No checkpoint, key, tile, bundle or proof of this log can be that large: the log is misbehaving, not unreachable.
    private static LogAuditException TooLarge(string url, int maxBytes) =>
        new($"GET {url}: the answer is larger than {maxBytes} bytes, more than that resource can be");
}

/// <summary>Proof hashes as the log API and receipt proofs write them: a JSON array of standard base64 SHA-256 hashes.</summary>
internal static class ProofHashes
{
    public static IReadOnlyList<byte[]> Read(JsonElement root, string member, string what)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(member, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{what} has no '{member}' array.");
        }

        if (array.GetArrayLength() > MerkleVerification.MaxProofLength)
        {
            throw new InvalidDataException($"{what}: '{member}' has more than {MerkleVerification.MaxProofLength} hashes.");
        }

        var hashes = new List<byte[]>();
        foreach (var item in array.EnumerateArray())
        {
            hashes.Add(item.ValueKind == JsonValueKind.String && TryDecode(item.GetString()!, out var hash) && hash.Length == MerkleHash.Size
                ? hash
                : throw new InvalidDataException($"{what}: '{member}[{hashes.Count}]' is not a base64 SHA-256 hash."));
        }

        return hashes;
    }

    public static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = new byte[(text.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(text, bytes, out var written))
        {
            bytes = [];
            return false;
        }

        bytes = bytes[..written];
        return true;
    }
}
