using ELicence.Core.Log;
using ELicence.Tlog;
using ELicence.Tlog.Tests;

namespace ELicence.Core.UnitTests.Log;

/// <summary>C2SP tlog-tiles layout; examples from c2sp.org/tlog-tiles.</summary>
public class TileTests
{
    [Theory]
    [InlineData(0, 1234067L, 256, "tile/0/x001/x234/067")]
    [InlineData(0, 0L, 256, "tile/0/000")]
    [InlineData(1, 1L, 17, "tile/1/001.p/17")]
    [InlineData(2, 1000L, 1, "tile/2/x001/000.p/1")]
    public void Tile_paths_follow_the_spec(int level, long index, int width, string expected) =>
        Assert.Equal(expected, TilePath.Tile(level, index, width));

    [Theory]
    [InlineData(64, 0L, 256)]
    [InlineData(-1, 0L, 256)]
    [InlineData(0, -1L, 256)]
    [InlineData(0, 0L, 0)]
    [InlineData(0, 0L, 257)]
    public void Tile_coordinates_outside_the_spec_are_refused(int level, long index, int width) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TilePath.Tile(level, index, width));

    [Fact]
    public async Task A_range_outside_the_tree_is_refused_before_any_tile_is_read()
    {
        var store = new InMemoryLog();
        var tree = new TreeHashes(store, 10);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => tree.RangeAsync(0, 11, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => tree.RangeAsync(-1, 3, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => tree.RangeAsync(5, 4, default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => tree.LeafAsync(10, default));
    }

    [Fact]
    public void Entry_bundle_paths_follow_the_spec() =>
        Assert.Equal("tile/entries/x001/x234/067.p/3", TilePath.EntryBundle(1234067, 3));

    [Fact]
    public async Task A_tree_of_70000_leaves_has_the_tiles_the_spec_lists_and_the_naive_root()
    {
        var store = new InMemoryLog();
        var entries = Entries(70_000);
        var first = await TileAppender.AppendAsync(store, 0, entries[..30_001], default);
        await WriteAsync(store, first);
        var second = await TileAppender.AppendAsync(store, first.TreeSize, entries[30_001..], default);
        await WriteAsync(store, second);

        // "273 full level 0 tiles, one partial level 0 tile of width 112, one full level 1 tile, one partial level 1
        // tile of width 17, and one partial level 2 tile of width 1."
        Assert.Equal(8192, store.Resources["tile/0/272"].Length);
        Assert.Equal(112 * 32, store.Resources["tile/0/273.p/112"].Length);
        Assert.Equal(8192, store.Resources["tile/1/000"].Length);
        Assert.Equal(17 * 32, store.Resources["tile/1/001.p/17"].Length);
        Assert.Equal(32, store.Resources["tile/2/000.p/1"].Length);
        Assert.DoesNotContain(store.Resources.Keys, k => k.StartsWith("tile/3/", StringComparison.Ordinal));
        Assert.Equal(70_000, second.TreeSize);
        Assert.Equal(NaiveMerkle.Root(entries.Select(e => MerkleHash.Leaf(e)).ToArray()), second.RootHash);
        Assert.True(EntryBundle.TryDecode(store.Resources["tile/entries/273.p/112"], out var bundle));
        Assert.Equal(entries[^112..], bundle);
    }

    [Fact]
    public async Task Proofs_read_from_tiles_equal_proofs_from_all_leaves_and_the_same_leaves_give_the_same_tiles_in_any_batches()
    {
        var entries = Entries(1_300);
        var leafHashes = entries.Select(e => MerkleHash.Leaf(e)).ToArray();
        var oneBatch = new InMemoryLog();
        await WriteAsync(oneBatch, await TileAppender.AppendAsync(oneBatch, 0, entries, default));
        var manyBatches = new InMemoryLog();
        long size = 0;
        foreach (var batch in entries.Chunk(97))
        {
            var appended = await TileAppender.AppendAsync(manyBatches, size, batch, default);
            await WriteAsync(manyBatches, appended);
            size = appended.TreeSize;
        }

        foreach (var path in oneBatch.Resources.Keys)
        {
            Assert.Equal(oneBatch.Resources[path], manyBatches.Resources[path]);
        }

        var tree = new TreeHashes(manyBatches, 1_300);
        var random = new Random(13);
        for (var i = 0; i < 50; i++)
        {
            var index = random.Next(1_300);
            var first = random.Next(1, 1_301);
            var inclusion = MerkleRanges.Inclusion(index, 1_300);
            var consistency = MerkleRanges.Consistency(first, 1_300);
            Assert.Equal(inclusion.Select(r => MerkleHash.Root(leafHashes, r.Start, r.End)), await tree.ProofAsync(inclusion, default));
            Assert.Equal(consistency.Select(r => MerkleHash.Root(leafHashes, r.Start, r.End)), await tree.ProofAsync(consistency, default));
        }
    }

    [Fact]
    public async Task A_truncated_or_missing_tile_is_reported_not_misread()
    {
        var store = new InMemoryLog();
        await WriteAsync(store, await TileAppender.AppendAsync(store, 0, Entries(300), default));
        store.Resources["tile/0/001.p/44"] = store.Resources["tile/0/001.p/44"][..64];

        await Assert.ThrowsAsync<InvalidDataException>(() => new TreeHashes(store, 300).LeafAsync(299, default));
        await Assert.ThrowsAsync<InvalidDataException>(() => TileAppender.AppendAsync(store, 300, Entries(1), default));
        await Assert.ThrowsAsync<InvalidDataException>(() => new TreeHashes(store, 600).LeafAsync(599, default));
    }

    [Fact]
    public void Entry_bundles_round_trip_and_a_truncated_bundle_is_refused()
    {
        var entries = Entries(3);
        var bundle = EntryBundle.Encode(entries);

        Assert.True(EntryBundle.TryDecode(bundle, out var decoded));
        Assert.Equal(entries, decoded);
        Assert.False(EntryBundle.TryDecode(bundle.AsSpan(0, bundle.Length - 1), out _));
        Assert.Throws<ArgumentException>(() => EntryBundle.Encode([new byte[65_536]]));
    }

    internal static byte[][] Entries(int count) =>
        Enumerable.Range(0, count).Select(i => Encoding.UTF8.GetBytes($"entry {i}")).ToArray();

    private static async Task WriteAsync(InMemoryLog store, AppendedTiles appended)
    {
        foreach (var (path, content) in appended.Resources)
        {
            await store.WriteAsync(path, content, default);
        }
    }
}
