using ELicence.Tlog;

namespace ELicence.Tlog.Tests;

/// <summary>The tree root computed the obvious way, level by level: the reference the fast code is checked against (shared with ELicence.Core.UnitTests).</summary>
internal static class NaiveMerkle
{
    internal static byte[][] RandomLeafHashes(int size, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, size).Select(_ =>
        {
            var entry = new byte[random.Next(0, 40)];
            random.NextBytes(entry);
            return MerkleHash.Leaf(entry);
        }).ToArray();
    }

    internal static byte[] Root(byte[][] leafHashes)
    {
        var level = leafHashes.ToList();
        while (level.Count > 1)
        {
            var next = new List<byte[]>();
            for (var i = 0; i + 1 < level.Count; i += 2)
            {
                next.Add(MerkleHash.Node(level[i], level[i + 1]));
            }

            if (level.Count % 2 == 1)
            {
                next.Add(level[^1]);
            }

            level = next;
        }

        return level.Count == 0 ? MerkleHash.EmptyRoot() : level[0];
    }
}
