using ELicence.Tlog;

namespace ELicence.Tlog.Tests;

/// <summary>
/// Known answers from transparency-dev/merkle (Apache-2.0), testonly/constants.go and testonly/reference_test.go:
/// the eight leaf inputs, the root of every prefix, and the reference inclusion and consistency proofs.
/// https://github.com/transparency-dev/merkle/tree/main/testonly
/// </summary>
public class MerkleVectorTests
{
    internal static readonly byte[][] Leaves =
        new[] { "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f" }
            .Select(Convert.FromHexString).ToArray();

    private static readonly string[] Roots =
    [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    private static readonly byte[][] LeafHashes = Leaves.Select(l => MerkleHash.Leaf(l)).ToArray();

    public static TheoryData<int> Sizes() => new(Enumerable.Range(0, 9));

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Root_of_every_prefix_matches_the_published_hash(int size) =>
        Assert.Equal(Roots[size], Convert.ToHexStringLower(MerkleHash.Root(LeafHashes, 0, size)));

    [Theory]
    [InlineData(0, 1, new string[0])]
    [InlineData(0, 2, new[] { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7" })]
    [InlineData(1, 2, new[] { "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d" })]
    [InlineData(2, 3, new[] { "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125" })]
    [InlineData(1, 5, new[] { "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" })]
    [InlineData(0, 8, new[] { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" })]
    [InlineData(5, 8, new[] { "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" })]
    public void Inclusion_proof_matches_the_published_proof_and_verifies(int index, int size, string[] expected)
    {
        var proof = Prove(MerkleRanges.Inclusion(index, size));

        Assert.Equal(expected, proof.Select(Convert.ToHexStringLower));
        Assert.True(MerkleVerification.VerifyInclusion(index, size, LeafHashes[index], proof, Convert.FromHexString(Roots[size])));
    }

    [Theory]
    [InlineData(1, 1, new string[0])]
    [InlineData(1, 8, new[] { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" })]
    [InlineData(2, 5, new[] { "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" })]
    [InlineData(6, 8, new[] { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" })]
    public void Consistency_proof_matches_the_published_proof_and_verifies(int first, int second, string[] expected)
    {
        var proof = Prove(MerkleRanges.Consistency(first, second));

        Assert.Equal(expected, proof.Select(Convert.ToHexStringLower));
        Assert.True(MerkleVerification.VerifyConsistency(first, second,
            Convert.FromHexString(Roots[first]), Convert.FromHexString(Roots[second]), proof));
    }

    [Fact]
    public void Rfc9162_example_tree_of_seven_leaves_has_the_proofs_the_rfc_lists()
    {
        // RFC 9162 §2.1.5, leaves a..f, j; g = (a,b), h = (c,d), i = (e,f), k = (g,h), l = (i,j).
        Assert.Equal([new(1, 2), new(2, 4), new(4, 7)], MerkleRanges.Inclusion(0, 7)); // [b, h, l]
        Assert.Equal([new(2, 3), new(0, 2), new(4, 7)], MerkleRanges.Inclusion(3, 7)); // [c, g, l]
        Assert.Equal([new(5, 6), new(6, 7), new(0, 4)], MerkleRanges.Inclusion(4, 7)); // [f, j, k]
        Assert.Equal([new(4, 6), new(0, 4)], MerkleRanges.Inclusion(6, 7)); // [i, k]
        Assert.Equal([new(2, 3), new(3, 4), new(0, 2), new(4, 7)], MerkleRanges.Consistency(3, 7)); // [c, d, g, l]
        Assert.Equal([new(4, 7)], MerkleRanges.Consistency(4, 7)); // [l]
        Assert.Equal([new(4, 6), new(6, 7), new(0, 4)], MerkleRanges.Consistency(6, 7)); // [i, j, k]
    }

    private static List<byte[]> Prove(IReadOnlyList<LeafRange> ranges) =>
        ranges.Select(r => MerkleHash.Root(LeafHashes, r.Start, r.End)).ToList();
}
