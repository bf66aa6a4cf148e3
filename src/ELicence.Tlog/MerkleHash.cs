using System.Security.Cryptography;

namespace ELicence.Tlog;

/// <summary>RFC 9162 §2.1.1 hashing: leaves and interior nodes are domain-separated so a leaf can never pose as a node.</summary>
public static class MerkleHash
{
    public const int Size = 32;

    /// <summary>MTH of the empty tree: SHA-256 of the empty string.</summary>
    public static byte[] EmptyRoot() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>SHA-256(0x00 ‖ entry).</summary>
    public static byte[] Leaf(ReadOnlySpan<byte> entry)
    {
        var input = new byte[entry.Length + 1];
        entry.CopyTo(input.AsSpan(1));
        return SHA256.HashData(input);
    }

    /// <summary>SHA-256(0x01 ‖ left ‖ right).</summary>
    public static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> input = stackalloc byte[1 + (2 * Size)];
        input[0] = 1;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + Size)..]);
        return SHA256.HashData(input);
    }

    /// <summary>MTH(D[start:end]) over leaf hashes, by the recursive definition of RFC 9162 §2.1.1.</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leafHashes, long start, long end)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        var n = end - start;
        if (n == 0)
        {
            return EmptyRoot();
        }

        if (n == 1)
        {
            return leafHashes[(int)start];
        }

        var k = MerkleRanges.SplitPoint(n);
        return Node(Root(leafHashes, start, start + k), Root(leafHashes, start + k, end));
    }
}
