namespace ELicence.Tlog;

/// <summary>
/// MTH of any leaf range of a tree of <see cref="TreeSize"/> leaves, read from its tiles. A range splits into perfect
/// aligned subtrees; each is one tile entry, or the hash of up to 256 entries of one tile, so a proof needs at most one
/// tile read per proof hash (fewer, with the per-instance cache). Tiles are read at the widths of the published tree
/// (<c>publishedSize</c>, at least <see cref="TreeSize"/>): an older tree's hashes are prefixes of the newer tree's tiles, so
/// proofs for any earlier size need no partial tile of that size (tlog-tiles lets those be deleted).
/// </summary>
public sealed class TreeHashes
{
    private readonly Dictionary<(int Level, long Index), List<byte[]>> cache = [];
    private readonly ITileStore tiles;
    private readonly long publishedSize;

    public TreeHashes(ITileStore tiles, long treeSize, long? publishedSize = null)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        this.tiles = tiles;
        TreeSize = treeSize;
        this.publishedSize = publishedSize ?? treeSize;
        ArgumentOutOfRangeException.ThrowIfLessThan(this.publishedSize, treeSize, nameof(publishedSize));
    }

    public long TreeSize { get; }

    public async Task<byte[]> RangeAsync(long start, long end, CancellationToken cancellationToken)
    {
        if (start < 0 || end > TreeSize || start > end)
        {
            throw new ArgumentOutOfRangeException(nameof(end), "The range is not inside the tree.");
        }

        var n = end - start;
        if (n == 0)
        {
            return MerkleHash.EmptyRoot();
        }

        if ((n & (n - 1)) == 0 && start % n == 0)
        {
            return await PerfectAsync(System.Numerics.BitOperations.Log2((ulong)n), start / n, cancellationToken);
        }

        var k = MerkleRanges.SplitPoint(n);
        var left = await RangeAsync(start, start + k, cancellationToken);
        var right = await RangeAsync(start + k, end, cancellationToken);
        return MerkleHash.Node(left, right);
    }

    public async Task<List<byte[]>> ProofAsync(IReadOnlyList<LeafRange> ranges, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var proof = new List<byte[]>(ranges.Count);
        foreach (var range in ranges)
        {
            proof.Add(await RangeAsync(range.Start, range.End, cancellationToken));
        }

        return proof;
    }

    /// <summary>The leaf hash at <paramref name="index"/>.</summary>
    public Task<byte[]> LeafAsync(long index, CancellationToken cancellationToken) => RangeAsync(index, index + 1, cancellationToken);

    // The subtree of 2^height leaves number `index`: entries of the tile level just below it, hashed up.
    private async Task<byte[]> PerfectAsync(int height, long index, CancellationToken cancellationToken)
    {
        var level = height / TilePath.Height;
        var within = height % TilePath.Height;
        var firstEntry = index << within;
        var tileIndex = firstEntry / TilePath.Width;
        var tile = await TileAsync(level, tileIndex, cancellationToken);
        var offset = (int)(firstEntry % TilePath.Width);
        var count = 1 << within;
        if (offset + count > tile.Count)
        {
            throw new InvalidDataException($"Tile {TilePath.Tile(level, tileIndex, Math.Max(1, tile.Count))} is shorter than the tree needs.");
        }

        var hashes = tile.GetRange(offset, count);
        while (hashes.Count > 1)
        {
            hashes = hashes.Chunk(2).Select(pair => MerkleHash.Node(pair[0], pair[1])).ToList();
        }

        return hashes[0];
    }

    private async Task<List<byte[]>> TileAsync(int level, long index, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue((level, index), out var cached))
        {
            return cached;
        }

        var width = TilePath.WidthAt(level, index, publishedSize);
        var path = TilePath.Tile(level, index, width);
        var content = await tiles.ReadAsync(path, cancellationToken)
            ?? throw new InvalidDataException($"Tile {path} is missing.");
        if (content.Length != width * MerkleHash.Size)
        {
            throw new InvalidDataException($"Tile {path} has {content.Length} bytes, not {width * MerkleHash.Size}.");
        }

        var hashes = TileHashList.Split(content);
        cache[(level, index)] = hashes;
        return hashes;
    }
}
