using ELicence.Core.Log;
using ELicence.Tlog;

namespace ELicence.OfflineVerifier;

/// <summary>The log failed a check: forged, truncated, forked or tampered. The message names what and where.</summary>
public sealed class LogAuditException : Exception
{
    public LogAuditException()
    {
    }

    public LogAuditException(string message)
        : base(message)
    {
    }

    public LogAuditException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The tile or entry bundle the server did not have (a log that grew meanwhile no longer serves the old partial ones).</summary>
    public string? MissingPath { get; init; }
}

/// <summary>
/// The auditor's checks over what the log publishes, with Core/Log's verification code only: checkpoint signatures under a
/// pinned note key, append-only growth between two checkpoints, and a mirror of the tiles recomputed from the entries.
/// </summary>
internal sealed class LogAuditor(NoteVerifier verifier, string origin)
{
    /// <summary>The checkpoint <paramref name="note"/> (from <paramref name="source"/>), when the pinned key signed it.</summary>
    public Checkpoint Open(string note, string source)
    {
        if (!verifier.TryOpen(note, out var text))
        {
            throw new LogAuditException($"the checkpoint from {source} is not signed by the log key {verifier.Name} (forged, altered, or another log's)");
        }

        if (!Checkpoint.TryParse(text, out var checkpoint))
        {
            throw new LogAuditException($"the note from {source} is signed but is not a tlog-checkpoint (origin, size, base64 root)");
        }

        if (checkpoint!.Origin != origin)
        {
            throw new LogAuditException($"the checkpoint from {source} is for origin '{checkpoint.Origin}', not '{origin}'");
        }

        return checkpoint!;
    }

    /// <summary>
    /// Fails unless <paramref name="newer"/> extends <paramref name="older"/>: same origin, not smaller, the same root at the
    /// same size, and otherwise a consistency proof from the log that links both roots.
    /// </summary>
    public static async Task<int> CheckConsistencyAsync(Checkpoint older, Checkpoint newer, PublishedLog log, CancellationToken cancellationToken)
    {
        if (older.Origin != newer.Origin)
        {
            throw new LogAuditException($"the checkpoints are of two logs: '{older.Origin}' and '{newer.Origin}'");
        }

        if (newer.Size < older.Size)
        {
            throw new LogAuditException($"truncated: the newer checkpoint has {newer.Size} leaves, fewer than the {older.Size} of the older one");
        }

        if (newer.Size == older.Size)
        {
            return older.RootHash.AsSpan().SequenceEqual(newer.RootHash)
                ? 0
                : throw new LogAuditException($"fork: two checkpoints of size {older.Size} with different roots ({Root(older)} and {Root(newer)}); the log rewrote its history");
        }

        if (older.Size == 0)
        {
            return 0; // the empty tree is a prefix of every tree
        }

        var proof = await log.ConsistencyProofAsync(older.Size, newer.Size, cancellationToken);
        return MerkleVerification.VerifyConsistency(older.Size, newer.Size, older.RootHash, newer.RootHash, proof)
            ? proof.Count
            : throw new LogAuditException($"the consistency proof from size {older.Size} ({Root(older)}) to {newer.Size} ({Root(newer)}) does not verify: the log was rewritten or forked");
    }

    /// <summary>
    /// Fetches every entry bundle and tile of <paramref name="checkpoint"/>'s tree, recomputes the leaf hashes from the
    /// entries, each tile level from the one below, and the root; fails naming the first resource that disagrees.
    /// </summary>
    public static async Task<MirrorSummary> CheckMirrorAsync(Checkpoint checkpoint, PublishedLog log, CancellationToken cancellationToken)
    {
        var expected = await LeafHashesAsync(checkpoint.Size, log, cancellationToken);
        var root = MerkleHash.Root(expected, 0, expected.Count);
        var resources = (checkpoint.Size + TilePath.Width - 1) / TilePath.Width;
        for (var level = 0; expected.Count > 0; level++)
        {
            for (var index = 0L; index * TilePath.Width < expected.Count; index++)
            {
                var width = TilePath.WidthAt(level, index, checkpoint.Size);
                var (path, tile) = await TileAsync(log, level, index, width, cancellationToken);

                for (var i = 0; i < width; i++)
                {
                    if (!tile.AsSpan(i * MerkleHash.Size, MerkleHash.Size).SequenceEqual(expected[(int)(index * TilePath.Width) + i]))
                    {
                        var below = level == 0 ? $"the entry in {TilePath.EntryBundle(index, width)}" : $"tile {TilePath.Tile(level - 1, (index * TilePath.Width) + i)}";
                        throw new LogAuditException($"{path}: hash {i} is not the hash of {below}; the tile or what it covers was altered");
                    }
                }

                resources++;
            }

            // The next level up holds the root of every full tile of this one.
            expected = expected.Chunk(TilePath.Width).Where(c => c.Length == TilePath.Width).Select(c => MerkleHash.Root(c, 0, c.Length)).ToList();
        }

        return root.AsSpan().SequenceEqual(checkpoint.RootHash)
            ? new MirrorSummary(checkpoint.Size, resources)
            : throw new LogAuditException($"the entries hash to root {Convert.ToBase64String(root)} but the checkpoint says {Root(checkpoint)}: the checkpoint or the log's entries were altered");
    }

    public static string Root(Checkpoint checkpoint) => Convert.ToBase64String(checkpoint.RootHash);

    private static async Task<List<byte[]>> LeafHashesAsync(long size, PublishedLog log, CancellationToken cancellationToken)
    {
        var leaves = new List<byte[]>();
        for (var index = 0L; index * TilePath.Width < size; index++)
        {
            var width = (int)Math.Min(TilePath.Width, size - (index * TilePath.Width));
            var (path, bundle) = await PartialOrFullAsync(log, TilePath.EntryBundle(index, width), TilePath.EntryBundle(index), cancellationToken);
            var expected = path.Contains(".p/", StringComparison.Ordinal) ? width : TilePath.Width;
            if (!EntryBundle.TryDecode(bundle, out var entries) || entries.Count != expected)
            {
                throw new LogAuditException($"{path} does not hold exactly {expected} length-prefixed entries");
            }

            leaves.AddRange(entries.Take(width).Select(e => MerkleHash.Leaf(e)));
        }

        return leaves;
    }

    /// <summary>The tile's path and its <paramref name="width"/> hashes (from the full tile when the partial one is gone).</summary>
    private static async Task<(string Path, byte[] Hashes)> TileAsync(PublishedLog log, int level, long index, int width, CancellationToken cancellationToken)
    {
        var (path, tile) = await PartialOrFullAsync(log, TilePath.Tile(level, index, width), TilePath.Tile(level, index), cancellationToken);
        var expected = path.Contains(".p/", StringComparison.Ordinal) ? width : TilePath.Width;
        return tile.Length == expected * MerkleHash.Size
            ? (path, tile[..(width * MerkleHash.Size)])
            : throw new LogAuditException($"{path} has {tile.Length} bytes, not {expected * MerkleHash.Size} ({expected} hashes)");
    }

    /// <summary>
    /// A resource the checkpoint covers. A log may drop a partial tile once the full one exists (c2sp.org/tlog-tiles), so
    /// a missing partial is read from the full tile's prefix, as tlog-tiles clients do.
    /// </summary>
    private static async Task<(string Path, byte[] Content)> PartialOrFullAsync(PublishedLog log, string path, string fullPath, CancellationToken cancellationToken)
    {
        if (await log.ResourceAsync(path, cancellationToken) is { } content)
        {
            return (path, content);
        }

        return path != fullPath && await log.ResourceAsync(fullPath, cancellationToken) is { } full
            ? (fullPath, full)
            : throw new LogAuditException($"{path} is missing (404), though the checkpoint covers it") { MissingPath = path };
    }
}

/// <summary>What a mirror check covered.</summary>
internal sealed record MirrorSummary(long TreeSize, long Resources);
