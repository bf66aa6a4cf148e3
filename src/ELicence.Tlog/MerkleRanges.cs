using System.Numerics;

namespace ELicence.Tlog;

/// <summary>A range D[Start:End) of leaves whose Merkle Tree Hash is one element of a proof.</summary>
public readonly record struct LeafRange(long Start, long End);

/// <summary>
/// RFC 9162 §2.1.3.1 (PATH) and §2.1.4.1 (PROOF/SUBPROOF) as the list of leaf ranges whose MTH make up the proof, in
/// proof order. Kept apart from hashing so a store can fetch exactly the tiles those ranges need (≤ log2(n) reads).
/// </summary>
public static class MerkleRanges
{
    /// <summary>The largest power of two smaller than <paramref name="n"/> (n ≥ 2).</summary>
    public static long SplitPoint(long n) => (long)BitOperations.RoundUpToPowerOf2((ulong)n) >> 1;

    public static IReadOnlyList<LeafRange> Inclusion(long index, long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, size);
        var ranges = new List<LeafRange>();
        long start = 0, end = size;
        while (end - start > 1)
        {
            var k = SplitPoint(end - start);
            if (index < start + k)
            {
                ranges.Add(new LeafRange(start + k, end));
                end = start + k;
            }
            else
            {
                ranges.Add(new LeafRange(start, start + k));
                start += k;
            }
        }

        ranges.Reverse(); // PATH lists the sibling nearest the leaf first
        return ranges;
    }

    /// <summary>PROOF(m, D[0:n]) for 0 &lt; m ≤ n; empty when m = n.</summary>
    public static IReadOnlyList<LeafRange> Consistency(long first, long second)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(first, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first, second);
        var ranges = new List<LeafRange>();
        long start = 0, end = second, m = first;
        var haveRoot = true;
        while (m != end - start)
        {
            var k = SplitPoint(end - start);
            if (m <= k)
            {
                ranges.Add(new LeafRange(start + k, end));
                end = start + k;
            }
            else
            {
                ranges.Add(new LeafRange(start, start + k));
                start += k;
                m -= k;
                haveRoot = false;
            }
        }

        if (!haveRoot)
        {
            ranges.Add(new LeafRange(start, end));
        }

        ranges.Reverse();
        return ranges;
    }
}
