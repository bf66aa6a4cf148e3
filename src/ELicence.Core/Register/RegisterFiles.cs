using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ELicence.Core.Keys;

namespace ELicence.Core.Register;

/// <summary>What a snapshot or delta file holds, signed by the service: a consumer checks the file's size and SHA-256 against it.</summary>
public sealed record RegisterFileManifest(string Kind, string File, long Size, string Sha256, long Records, long FirstSequence, long LastSequence, DateTimeOffset CreatedAt)
{
    public const string JwsType = "register-manifest+jwt";
    public const string SnapshotKind = "snapshot";
    public const string DeltaKind = "delta";

    public string Sign(SigningKey key) => KeyJws.Sign(key, JwsType, ElicenceJson.SerializeToUtf8(this));
}

/// <summary>A published file: its manifest and the manifest's JWS.</summary>
public sealed record RegisterFile(RegisterFileManifest Manifest, string ManifestJws);

/// <summary>The snapshot and delta files with their signed manifests. A file without a manifest (a crash between the two writes) is not published.</summary>
public interface IRegisterFileStore
{
    /// <summary>Every published file, ordered by last sequence number.</summary>
    Task<IReadOnlyList<RegisterFile>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Writes the file, then its manifest; both names are immutable (a second write of the same name changes nothing).</summary>
    Task PublishAsync(string name, byte[] content, string manifestJws, CancellationToken cancellationToken);

    /// <summary>A published file's bytes, or null.</summary>
    Task<byte[]?> ReadAsync(string name, CancellationToken cancellationToken);
}

/// <summary>
/// The daily snapshot and the hourly delta. A snapshot is the previous snapshot with the feed applied since it (so its
/// records are exactly the feed's state at its last sequence number), sorted by code; a delta is the feed's entries since
/// the previous delta. Both are gzip JSON Lines under names fixed by their sequence numbers, so a rerun after a crash
/// writes the same file again.
/// </summary>
public sealed partial class RegisterFiles(IChangeFeedStore feed, IRegisterFileStore files, IKeyRingProvider keys, RegisterOptions options, TimeProvider time)
{
    private const int PageSize = ChangeFeedReader.MaxLimit;

    public static bool IsFileName(string? name) => name is not null && FileName().IsMatch(name);

    public async Task<IReadOnlyList<RegisterFile>> ListAsync(CancellationToken cancellationToken) => await files.ListAsync(cancellationToken);

    public async Task<byte[]> ReadAsync(string name, CancellationToken cancellationToken) =>
        IsFileName(name) && await files.ReadAsync(name, cancellationToken) is { } bytes
            ? bytes
            : throw ProblemException.NotFound($"No register file is named '{(name.Length > 60 ? name[..60] : name)}'; list them at /api/v1/register/snapshots.");

    /// <summary>The feed's entries since the previous delta; null when there are none.</summary>
    public async Task<RegisterFile?> PublishDeltaAsync(CancellationToken cancellationToken)
    {
        var published = await files.ListAsync(cancellationToken);
        var covered = published.Where(f => f.Manifest.Kind == RegisterFileManifest.DeltaKind).Select(f => f.Manifest.LastSequence).DefaultIfEmpty(0).Max();
        var head = await feed.GetHeadAsync(cancellationToken);
        if (head.Last <= covered)
        {
            return null;
        }

        var entries = await ReadFeedAsync(covered, head.Last, cancellationToken);
        var name = string.Create(CultureInfo.InvariantCulture, $"delta-{covered + 1:D12}-{head.Last:D12}.jsonl.gz");
        return await PublishAsync(RegisterFileManifest.DeltaKind, name, entries.Select(e => (object)e).ToList(), covered + 1, head.Last, cancellationToken);
    }

    /// <summary>The whole public register as of the feed's last sequence number; null when the latest snapshot already is.</summary>
    public async Task<RegisterFile?> PublishSnapshotAsync(CancellationToken cancellationToken)
    {
        var published = await files.ListAsync(cancellationToken);
        var latest = published.Where(f => f.Manifest.Kind == RegisterFileManifest.SnapshotKind).MaxBy(f => f.Manifest.LastSequence);
        var head = await feed.GetHeadAsync(cancellationToken);
        if (latest is not null && latest.Manifest.LastSequence >= head.Last)
        {
            return null;
        }

        var records = new SortedDictionary<string, PublicRecord>(StringComparer.Ordinal);
        var from = latest?.Manifest.LastSequence ?? 0;
        if (latest is not null)
        {
            foreach (var record in ReadLines<PublicRecord>(await files.ReadAsync(latest.Manifest.File, cancellationToken)
                ?? throw new InvalidOperationException($"Snapshot {latest.Manifest.File} is listed but cannot be read.")))
            {
                records[record.CreditCode] = record;
            }
        }

        foreach (var entry in await ReadFeedAsync(from, head.Last, cancellationToken))
        {
            records[entry.CreditCode] = entry.Record;
        }

        var name = string.Create(CultureInfo.InvariantCulture, $"snapshot-{head.Last:D12}.jsonl.gz");
        var file = await PublishAsync(RegisterFileManifest.SnapshotKind, name, records.Values.Select(r => (object)r).ToList(), 1, head.Last, cancellationToken);
        // The feed keeps what the retention window asks for, and never an entry that no snapshot or delta has yet.
        var deltas = published.Where(f => f.Manifest.Kind == RegisterFileManifest.DeltaKind).Select(f => f.Manifest.LastSequence).DefaultIfEmpty(0).Max();
        await feed.TrimAsync(Math.Min(head.Last, deltas), time.GetUtcNow() - options.FeedRetention, cancellationToken);
        return file;
    }

    /// <summary>Reads gzip JSON Lines as written here.</summary>
    public static IEnumerable<T> ReadLines<T>(byte[] gzip)
    {
        ArgumentNullException.ThrowIfNull(gzip);
        using var reader = new StreamReader(new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress), Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                yield return ElicenceJson.Deserialize<T>(line) ?? throw new FormatException("A register file line is null.");
            }
        }
    }

    private async Task<List<FeedEntry>> ReadFeedAsync(long after, long upTo, CancellationToken cancellationToken)
    {
        var head = await feed.GetHeadAsync(cancellationToken);
        if (after < head.Floor)
        {
            throw new InvalidOperationException($"The feed no longer has the changes after {after} (its floor is {head.Floor}); the register files cannot be continued from there.");
        }

        var entries = new List<FeedEntry>();
        while (after < upTo)
        {
            var page = await feed.ReadAsync(after, PageSize, cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            entries.AddRange(page.TakeWhile(e => e.Sequence <= upTo));
            after = page[^1].Sequence;
        }

        return entries;
    }

    private async Task<RegisterFile> PublishAsync(string kind, string name, List<object> lines, long first, long last, CancellationToken cancellationToken)
    {
        var content = Gzip(lines);
        var manifest = new RegisterFileManifest(kind, name, content.Length, Convert.ToHexStringLower(SHA256.HashData(content)), lines.Count, first, last, time.GetUtcNow());
        var jws = manifest.Sign((await keys.GetAsync(cancellationToken)).Signing);
        await files.PublishAsync(name, content, jws, cancellationToken);
        return new RegisterFile(manifest, jws);
    }

    private static byte[] Gzip(List<object> lines)
    {
        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            foreach (var line in lines)
            {
                gzip.Write(JsonSerializer.SerializeToUtf8Bytes(line, line.GetType(), ElicenceJson.Options));
                gzip.WriteByte((byte)'\n');
            }
        }

        return buffer.ToArray();
    }

    [GeneratedRegex("^(snapshot-[0-9]{12}|delta-[0-9]{12}-[0-9]{12})\\.jsonl\\.gz$")]
    private static partial Regex FileName();
}
