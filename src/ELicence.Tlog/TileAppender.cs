namespace ELicence.Tlog;

/// <summary>What appending a batch produces: every tile and bundle to write, and the new tree's size and root.</summary>
public sealed record AppendedTiles(IReadOnlyDictionary<string, byte[]> Resources, long TreeSize, byte[] RootHash);

/// <summary>
/// Appends entries to a tiled tree of a known size. Pure with respect to the store: it only reads the rightmost partial
/// tiles and returns what to write, so the same batch on the same tree always yields the same bytes (a rerun after a
/// crash rewrites identical resources).
/// </summary>
public static class TileAppender
{
    public static async Task<AppendedTiles> AppendAsync(ITileStore store, long treeSize, IReadOnlyList<byte[]> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(entries);
        var resources = new Dictionary<string, byte[]>(StringComparer.Ordinal);

        await AppendBundlesAsync(store, treeSize, entries, resources, cancellationToken);

        var appended = entries.Select(e => MerkleHash.Leaf(e)).ToList();
        for (var level = 0; appended.Count > 0; level++)
        {
            var oldCount = treeSize >> (TilePath.Height * level);
            var hashes = await ExistingPartialAsync(store, oldCount, path: w => TilePath.Tile(level, oldCount / TilePath.Width, w), cancellationToken);
            var tileIndex = oldCount / TilePath.Width;
            hashes.AddRange(appended);
            var above = new List<byte[]>();
            foreach (var chunk in hashes.Chunk(TilePath.Width))
            {
                resources[TilePath.Tile(level, tileIndex, chunk.Length)] = TileHashList.Join(chunk);
                if (chunk.Length == TilePath.Width)
                {
                    above.Add(MerkleHash.Root(chunk, 0, chunk.Length));
                }

                tileIndex++;
            }

            appended = above;
        }

        var newSize = treeSize + entries.Count;
        var root = await new TreeHashes(new Overlay(store, resources), newSize).RangeAsync(0, newSize, cancellationToken);
        return new AppendedTiles(resources, newSize, root);
    }

    private static async Task AppendBundlesAsync(ITileStore store, long treeSize, IReadOnlyList<byte[]> entries, Dictionary<string, byte[]> resources, CancellationToken cancellationToken)
    {
        var bundleIndex = treeSize / TilePath.Width;
        var width = (int)(treeSize % TilePath.Width);
        var existing = new List<byte[]>();
        if (width > 0)
        {
            var path = TilePath.EntryBundle(bundleIndex, width);
            var bundle = await store.ReadAsync(path, cancellationToken) ?? throw new InvalidDataException($"Entry bundle {path} is missing.");
            if (!EntryBundle.TryDecode(bundle, out existing) || existing.Count != width)
            {
                throw new InvalidDataException($"Entry bundle {path} does not hold {width} entries.");
            }
        }

        foreach (var chunk in existing.Concat(entries).Chunk(TilePath.Width))
        {
            resources[TilePath.EntryBundle(bundleIndex++, chunk.Length)] = EntryBundle.Encode(chunk);
        }
    }

    private static async Task<List<byte[]>> ExistingPartialAsync(ITileStore store, long count, Func<int, string> path, CancellationToken cancellationToken)
    {
        var width = (int)(count % TilePath.Width);
        if (width == 0)
        {
            return [];
        }

        var content = await store.ReadAsync(path(width), cancellationToken);
        if (content is null || content.Length != width * MerkleHash.Size)
        {
            throw new InvalidDataException($"Tile {path(width)} is missing or has the wrong size.");
        }

        return TileHashList.Split(content);
    }

    /// <summary>Reads the batch's own resources first, then the store.</summary>
    private sealed class Overlay(ITileStore store, IReadOnlyDictionary<string, byte[]> resources) : ITileStore
    {
        public Task<byte[]?> ReadAsync(string path, CancellationToken cancellationToken) =>
            resources.TryGetValue(path, out var content) ? Task.FromResult<byte[]?>(content) : store.ReadAsync(path, cancellationToken);

        public Task WriteAsync(string path, byte[] content, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
