using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ELicence.Core.CreditCodes;
using ELicence.Tlog;

namespace ELicence.Core.Log;

/// <summary>Lookups the sequencer keeps beside the tiles, for the log's readers.</summary>
public interface ILogIndex
{
    /// <summary>The latest signed checkpoint, or null before the first batch.</summary>
    Task<string?> ReadCheckpointAsync(CancellationToken cancellationToken);

    /// <summary>The index recorded for a leaf id (possibly by a batch that never committed: check it against the tree).</summary>
    Task<long?> FindIndexAsync(string id, CancellationToken cancellationToken);

    /// <summary>The index recorded for a leaf hash (the latest, when the same entry was appended twice).</summary>
    Task<long?> FindByLeafHashAsync(byte[] leafHash, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> indexes above <paramref name="after"/> recorded for leaves whose entry names <paramref name="code"/>, ascending.</summary>
    Task<IReadOnlyList<long>> ListByCodeAsync(CreditCode code, long after, int max, CancellationToken cancellationToken);
}

/// <summary>A static log resource: its bytes, and whether it is final (a full tile or bundle never changes).</summary>
public sealed record LogResource(byte[] Content, bool Immutable);

public sealed record InclusionProof(long TreeSize, long LeafIndex, string LeafHash, IReadOnlyList<string> Hashes);

public sealed record ConsistencyProof(long From, long TreeSize, IReadOnlyList<string> Hashes);

/// <summary>What a receipt's holder needs to check its inclusion offline: entry, proof, and the signed checkpoint it leads to.</summary>
public sealed record ReceiptProof(long LeafIndex, string LeafHash, long TreeSize, IReadOnlyList<string> Hashes, string Entry, string Checkpoint);

/// <summary>One entry about a licence, as its log listing shows it.</summary>
public sealed record LicenceLogItem(long LeafIndex, string Kind, JsonElement Entry, string LeafHash);

/// <summary>A page of a licence's entries; <see cref="NextAfter"/> is where the next page starts, null on the last.</summary>
public sealed record LicenceLogPage(IReadOnlyList<LicenceLogItem> Items, long? NextAfter);

/// <summary>
/// The public side of the log: the signed checkpoint, the verifier key, tiles, proofs computed from stored tiles (at most one
/// tile read per proof hash), and lookups by receipt and by licence. Only what the current checkpoint commits to is served:
/// a crashed batch's tiles and index rows beyond it are never shown.
/// </summary>
public sealed partial class LogReader(ITileStore tiles, ILogIndex index, LogNoteKey noteKey, ICreditCodeExceptions codeExceptions)
{
    public async Task<string> VerifierKeyAsync(CancellationToken cancellationToken) => (await noteKey.GetAsync(cancellationToken)).VerifierKey;

    /// <summary>
    /// The checkpoint note exactly as stored, like a static file (before the first batch, a signed empty tree). Not checked
    /// here: a client verifies it, so a damaged checkpoint is the client's to detect, not hidden behind a 500.
    /// </summary>
    public async Task<string> NoteAsync(CancellationToken cancellationToken) =>
        await index.ReadCheckpointAsync(cancellationToken) ?? await EmptyTreeNoteAsync(cancellationToken);

    /// <summary>The latest signed checkpoint and its parsed body; a stored checkpoint that does not verify stops every proof.</summary>
    public async Task<(string Note, Checkpoint Checkpoint)> CheckpointAsync(CancellationToken cancellationToken)
    {
        var signer = await noteKey.GetAsync(cancellationToken);
        var note = await NoteAsync(cancellationToken);
        return Checkpoint.TryOpen(note, signer.Verifier, signer.Name, out var checkpoint)
            ? (note, checkpoint!)
            : throw new InvalidDataException("The stored checkpoint does not verify under the log's note key.");
    }

    /// <summary>A tile or entry bundle by its tlog-tiles path (below <c>tile/</c>); null when the current tree has no such resource.</summary>
    public async Task<LogResource?> TileAsync(string path, CancellationToken cancellationToken)
    {
        var match = TileName().Match(path ?? "");
        if (!match.Success)
        {
            throw ProblemException.Invalid("path", "A tlog-tiles resource: <L>/<N>[.p/<W>] or entries/<N>[.p/<W>], N in three-digit groups (x001/234).");
        }

        var entries = match.Groups["level"].Value == "entries";
        var level = entries ? 0 : int.Parse(match.Groups["level"].Value, CultureInfo.InvariantCulture);
        var number = long.Parse(match.Groups["index"].Value.Replace("x", "", StringComparison.Ordinal).Replace("/", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        var width = match.Groups["width"].Success ? int.Parse(match.Groups["width"].Value, CultureInfo.InvariantCulture) : TilePath.Width;
        if (level > 63 || (match.Groups["width"].Success && width >= TilePath.Width))
        {
            throw ProblemException.Invalid("path", "The level is 0 to 63 and a partial width 1 to 255.");
        }

        var canonical = entries ? TilePath.EntryBundle(number, width) : TilePath.Tile(level, number, width);
        if (canonical != "tile/" + path)
        {
            throw ProblemException.Invalid("path", $"Not the canonical name of that resource ({canonical}).");
        }

        // Only what the current tree has: a narrower (older) partial is cut from the current resource, since every tree's
        // tiles are prefixes of a later tree's; what a crashed batch left beyond the checkpoint is never served.
        var (_, checkpoint) = await CheckpointAsync(cancellationToken);
        var current = TilePath.WidthAt(level, number, checkpoint.Size);
        if (width > current)
        {
            return null;
        }

        var stored = entries ? TilePath.EntryBundle(number, current) : TilePath.Tile(level, number, current);
        var content = await tiles.ReadAsync(stored, cancellationToken);
        if (content is null || width == current)
        {
            return content is null ? null : new LogResource(content, width == TilePath.Width);
        }

        if (!entries)
        {
            return new LogResource(content[..Math.Min(content.Length, width * MerkleHash.Size)], false);
        }

        return EntryBundle.TryDecode(content, out var all) ? new LogResource(EntryBundle.Encode(all.Take(width)), false) : new LogResource(content, false);
    }

    public async Task<InclusionProof> InclusionAsync(string? leaf, string? size, CancellationToken cancellationToken)
    {
        var leafHash = SignedNote.TryBase64(leaf ?? "", out var hash) && hash.Length == MerkleHash.Size
            ? hash
            : throw ProblemException.Invalid("leaf", "The leaf hash: 32 bytes in standard base64 (as in checkpoints).");
        var treeSize = Count(size, "size", 1);
        var (_, checkpoint) = await CheckpointAsync(cancellationToken);
        if (treeSize > checkpoint.Size)
        {
            throw ProblemException.Invalid("size", string.Create(CultureInfo.InvariantCulture, $"Larger than the current tree ({checkpoint.Size} leaves)."));
        }

        var tree = new TreeHashes(tiles, treeSize, checkpoint.Size);
        var leafIndex = await index.FindByLeafHashAsync(leafHash, cancellationToken);
        if (leafIndex is not { } i || i >= treeSize || !(await tree.LeafAsync(i, cancellationToken)).AsSpan().SequenceEqual(leafHash))
        {
            throw ProblemException.NotFound(string.Create(CultureInfo.InvariantCulture, $"No leaf with that hash in the tree of {treeSize} leaves."));
        }

        var proof = await tree.ProofAsync(MerkleRanges.Inclusion(i, treeSize), cancellationToken);
        return new InclusionProof(treeSize, i, leaf!, Base64(proof));
    }

    public async Task<ConsistencyProof> ConsistencyAsync(string? from, string? to, CancellationToken cancellationToken)
    {
        var first = Count(from, "from", 0);
        var second = Count(to, "to", 0);
        if (first > second)
        {
            throw ProblemException.Invalid("from", "At most 'to': a consistency proof goes from an older tree to a newer one.");
        }

        var (_, checkpoint) = await CheckpointAsync(cancellationToken);
        if (second > checkpoint.Size)
        {
            throw ProblemException.Invalid("to", string.Create(CultureInfo.InvariantCulture, $"Larger than the current tree ({checkpoint.Size} leaves)."));
        }

        if (first == 0 || first == second)
        {
            return new ConsistencyProof(first, second, []); // the empty tree, and every tree itself, need no proof
        }

        var proof = await new TreeHashes(tiles, second, checkpoint.Size).ProofAsync(MerkleRanges.Consistency(first, second), cancellationToken);
        return new ConsistencyProof(first, second, Base64(proof));
    }

    /// <summary>The proof for a leaf id (<c>receipt:{id}</c>, <c>batch-receipt:{id}</c>) to the current checkpoint; null until it is sequenced.</summary>
    public async Task<ReceiptProof?> ProofOfAsync(string leafId, CancellationToken cancellationToken)
    {
        var (note, checkpoint) = await CheckpointAsync(cancellationToken);
        if (await index.FindIndexAsync(leafId, cancellationToken) is not { } i || i >= checkpoint.Size)
        {
            return null;
        }

        var entry = await EntryAsync(i, checkpoint.Size, [], cancellationToken);
        if (LogEntries.LeafIdOf(entry) != leafId)
        {
            return null; // an index a crashed batch recorded, now another leaf's: this one is still pending
        }

        // Entry from its bundle, proof from the tiles, as stored: a client checking them detects any tampering.
        var leafHash = MerkleHash.Leaf(entry);
        var tree = new TreeHashes(tiles, checkpoint.Size);
        var proof = await tree.ProofAsync(MerkleRanges.Inclusion(i, checkpoint.Size), cancellationToken);
        return new ReceiptProof(i, Convert.ToBase64String(leafHash), checkpoint.Size, Base64(proof), Convert.ToBase64String(entry), note);
    }

    /// <summary>At most this many entries per page of a licence's log (a licence verified often has many receipts).</summary>
    public const int PageSize = 200;

    /// <summary>The committed entries naming <paramref name="code"/> after leaf index <paramref name="after"/> (null: from the start), oldest first, read from the entry bundles themselves.</summary>
    public async Task<LicenceLogPage> AboutAsync(CreditCode code, string? after, CancellationToken cancellationToken)
    {
        var start = after is null ? -1 : Count(after, "after", 0);
        var (_, checkpoint) = await CheckpointAsync(cancellationToken);
        var bundles = new Dictionary<long, List<byte[]>>();
        var items = new List<LicenceLogItem>();
        var rows = await index.ListByCodeAsync(code, start, PageSize + 1, cancellationToken);
        foreach (var i in rows.Take(PageSize))
        {
            if (i >= checkpoint.Size)
            {
                break; // rows past the checkpoint: a batch not (yet) committed
            }

            var entry = await EntryAsync(i, checkpoint.Size, bundles, cancellationToken);
            // A row a crashed batch wrote may point at a leaf about another licence: list only what the entry itself says.
            if (LogEntries.Describe(entry) is { } described && described.Code == code.Value)
            {
                using var document = JsonDocument.Parse(entry);
                items.Add(new LicenceLogItem(i, described.Kind, document.RootElement.Clone(), Convert.ToBase64String(MerkleHash.Leaf(entry))));
            }
        }

        return new LicenceLogPage(items, rows.Count > PageSize && rows[PageSize - 1] < checkpoint.Size ? rows[PageSize - 1] : null);
    }

    private async Task<string> EmptyTreeNoteAsync(CancellationToken cancellationToken)
    {
        var signer = await noteKey.GetAsync(cancellationToken);
        return signer.Sign(new Checkpoint(signer.Name, 0, MerkleHash.EmptyRoot()).Text);
    }

    public CreditCode ParseCode(string code) => codeExceptions.ParseField(code);

    private async Task<byte[]> EntryAsync(long leafIndex, long treeSize, Dictionary<long, List<byte[]>> bundles, CancellationToken cancellationToken)
    {
        var number = leafIndex / TilePath.Width;
        if (!bundles.TryGetValue(number, out var entries))
        {
            var path = TilePath.EntryBundle(number, TilePath.WidthAt(0, number, treeSize));
            var content = await tiles.ReadAsync(path, cancellationToken) ?? throw new InvalidDataException($"Entry bundle {path} is missing.");
            if (!EntryBundle.TryDecode(content, out entries) || entries.Count != TilePath.WidthAt(0, number, treeSize))
            {
                throw new InvalidDataException($"Entry bundle {path} does not hold the entries the tree needs.");
            }

            bundles[number] = entries;
        }

        return entries[(int)(leafIndex % TilePath.Width)];
    }

    private static long Count(string? text, string field, long min) =>
        text is { Length: > 0 and <= 19 } && text.All(char.IsAsciiDigit) && (text == "0" || text[0] != '0') && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw ProblemException.Invalid(field, string.Create(CultureInfo.InvariantCulture, $"A tree size: a whole number of at least {min}, in decimal without leading zeroes."));

    private static List<string> Base64(IEnumerable<byte[]> hashes) => [.. hashes.Select(Convert.ToBase64String)];

    [GeneratedRegex(@"^(?<level>entries|0|[1-9][0-9]?)/(?<index>(?:x[0-9]{3}/){0,4}[0-9]{3})(?:\.p/(?<width>[1-9][0-9]{0,2}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex TileName();
}
