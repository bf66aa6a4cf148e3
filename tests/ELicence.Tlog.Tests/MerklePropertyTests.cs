using ELicence.Tlog;
using ELicence.Core.UnitTests.Properties;
using FsCheck;
using FsCheck.Fluent;

namespace ELicence.Tlog.Tests;

/// <summary>
/// Random trees of 1..1,000 leaves against a naive recomputation: the root level by level (pair neighbours, promote an
/// odd last node — the RFC 6962 picture, not the recursive definition the code uses), and every proof checked by the
/// RFC verifiers; any single changed byte or coordinate must make it fail.
/// </summary>
public class MerklePropertyTests
{
    private static readonly Gen<(int Size, int Index, int First, int Seed)> Trees =
        from size in Gen.Choose(1, 1000)
        from index in Gen.Choose(0, size - 1)
        from first in Gen.Choose(1, size)
        from seed in Gen.Choose(0, int.MaxValue)
        select (size, index, first, seed);

    [Fact]
    public void Random_trees_agree_with_a_naive_root_and_their_proofs_verify()
    {
        var ran = PropertyRun.Check(Trees, 150, t =>
        {
            var leaves = NaiveMerkle.RandomLeafHashes(t.Size, t.Seed);
            var root = NaiveMerkle.Root(leaves);
            Assert.Equal(root, MerkleHash.Root(leaves, 0, t.Size));

            var inclusion = Prove(leaves, MerkleRanges.Inclusion(t.Index, t.Size));
            Assert.True(MerkleVerification.VerifyInclusion(t.Index, t.Size, leaves[t.Index], inclusion, root));

            var firstRoot = NaiveMerkle.Root(leaves[..t.First]);
            var consistency = Prove(leaves, MerkleRanges.Consistency(t.First, t.Size));
            Assert.True(MerkleVerification.VerifyConsistency(t.First, t.Size, firstRoot, root, consistency));
        });
        Assert.True(ran >= 150);
    }

    [Fact]
    public void Every_proof_of_every_tree_up_to_64_leaves_verifies_and_fails_for_a_neighbouring_leaf_or_older_root()
    {
        for (var size = 1; size <= 64; size++)
        {
            var leaves = NaiveMerkle.RandomLeafHashes(size, size);
            var root = NaiveMerkle.Root(leaves);
            for (var index = 0; index < size; index++)
            {
                var proof = Prove(leaves, MerkleRanges.Inclusion(index, size));
                Assert.True(MerkleVerification.VerifyInclusion(index, size, leaves[index], proof, root));
                if (index > 0)
                {
                    Assert.False(MerkleVerification.VerifyInclusion(index - 1, size, leaves[index], proof, root));
                }
            }

            for (var first = 1; first <= size; first++)
            {
                var proof = Prove(leaves, MerkleRanges.Consistency(first, size));
                var firstRoot = NaiveMerkle.Root(leaves[..first]);
                Assert.True(MerkleVerification.VerifyConsistency(first, size, firstRoot, root, proof));
                if (first < size)
                {
                    Assert.False(MerkleVerification.VerifyConsistency(first, size, NaiveMerkle.Root(leaves[..(first + 1)]), root, proof));
                }
            }
        }
    }

    [Fact]
    public void Any_flipped_bit_in_leaf_proof_or_root_fails_verification()
    {
        var ran = PropertyRun.Check(Trees, 60, t =>
        {
            var leaves = NaiveMerkle.RandomLeafHashes(t.Size, t.Seed);
            var root = NaiveMerkle.Root(leaves);
            var inclusion = Prove(leaves, MerkleRanges.Inclusion(t.Index, t.Size));
            var consistency = Prove(leaves, MerkleRanges.Consistency(t.First, t.Size));
            var firstRoot = NaiveMerkle.Root(leaves[..t.First]);
            var bit = t.Seed % (MerkleHash.Size * 8);

            Assert.False(MerkleVerification.VerifyInclusion(t.Index, t.Size, Flip(leaves[t.Index], bit), inclusion, root));
            Assert.False(MerkleVerification.VerifyInclusion(t.Index, t.Size, leaves[t.Index], inclusion, Flip(root, bit)));
            for (var i = 0; i < inclusion.Count; i++)
            {
                var forged = inclusion.ToList();
                forged[i] = Flip(forged[i], bit);
                Assert.False(MerkleVerification.VerifyInclusion(t.Index, t.Size, leaves[t.Index], forged, root));
            }

            if (t.First < t.Size)
            {
                Assert.False(MerkleVerification.VerifyConsistency(t.First, t.Size, Flip(firstRoot, bit), root, consistency));
                Assert.False(MerkleVerification.VerifyConsistency(t.First, t.Size, firstRoot, Flip(root, bit), consistency));
                for (var i = 0; i < consistency.Count; i++)
                {
                    var forged = consistency.ToList();
                    forged[i] = Flip(forged[i], bit);
                    Assert.False(MerkleVerification.VerifyConsistency(t.First, t.Size, firstRoot, root, forged));
                }
            }
        });
        Assert.True(ran >= 60);
    }

    [Fact]
    public void Malformed_proofs_are_refused_without_throwing()
    {
        var leaves = NaiveMerkle.RandomLeafHashes(5, 1);
        var root = NaiveMerkle.Root(leaves);
        var proof = Prove(leaves, MerkleRanges.Inclusion(1, 5));

        Assert.False(MerkleVerification.VerifyInclusion(-1, 5, leaves[1], proof, root));
        Assert.False(MerkleVerification.VerifyInclusion(5, 5, leaves[1], proof, root));
        Assert.False(MerkleVerification.VerifyInclusion(1, 5, leaves[1], [.. proof, proof[0]], root));
        Assert.False(MerkleVerification.VerifyInclusion(1, 5, leaves[1], proof.Take(2).ToList(), root));
        Assert.False(MerkleVerification.VerifyInclusion(1, 5, leaves[1], [proof[0], proof[1].AsSpan(0, 31).ToArray(), proof[2]], root));
        Assert.False(MerkleVerification.VerifyInclusion(1, 5, leaves[1], Enumerable.Repeat(proof[0], 65).ToList(), root));
        Assert.False(MerkleVerification.VerifyConsistency(3, 5, NaiveMerkle.Root(leaves[..3]), root, []));
        Assert.False(MerkleVerification.VerifyConsistency(5, 3, root, root, []));
        Assert.False(MerkleVerification.VerifyConsistency(5, 5, root, NaiveMerkle.Root(leaves[..4]), []));
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleRanges.Consistency(0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleRanges.Inclusion(5, 5));
    }

    private static List<byte[]> Prove(byte[][] leaves, IReadOnlyList<LeafRange> ranges) =>
        ranges.Select(r => MerkleHash.Root(leaves, r.Start, r.End)).ToList();

    private static byte[] Flip(byte[] hash, int bit)
    {
        var copy = hash.ToArray();
        copy[bit / 8] ^= (byte)(1 << (bit % 8));
        return copy;
    }
}
