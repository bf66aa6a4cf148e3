namespace ELicence.Tlog;

/// <summary>What a witness concluded about a newly seen checkpoint.</summary>
public enum WitnessVerdict
{
    /// <summary>Signed by the log and an append-only extension of the last one seen.</summary>
    Consistent,

    /// <summary>Not a checkpoint of this log signed by its note key.</summary>
    BadSignature,

    /// <summary>Fewer leaves than a checkpoint already seen: the tree was truncated.</summary>
    Truncated,

    /// <summary>The consistency proof does not link the two roots: history was rewritten or forked.</summary>
    Inconsistent,
}

/// <summary>
/// Keeps the last checkpoint it accepted and accepts a newer one only with a valid consistency proof, using only what the
/// log publishes (checkpoint, verifier key, proof hashes). A rewritten leaf or a truncated tree is caught here.
/// </summary>
public sealed class LogWitness(NoteVerifier verifier, string origin)
{
    public Checkpoint? Latest { get; private set; }

    public WitnessVerdict Observe(string signedCheckpoint, IReadOnlyList<byte[]> consistencyProof)
    {
        ArgumentNullException.ThrowIfNull(consistencyProof);
        if (!Checkpoint.TryOpen(signedCheckpoint, verifier, origin, out var next))
        {
            return WitnessVerdict.BadSignature;
        }

        if (Latest is { } seen)
        {
            if (next!.Size < seen.Size)
            {
                return WitnessVerdict.Truncated;
            }

            if (!MerkleVerification.VerifyConsistency(seen.Size, next.Size, seen.RootHash, next.RootHash, consistencyProof))
            {
                return WitnessVerdict.Inconsistent;
            }
        }

        Latest = next;
        return WitnessVerdict.Consistent;
    }

    /// <summary>True when <paramref name="entry"/> is leaf <paramref name="index"/> of the tree the accepted checkpoint commits to.</summary>
    public bool Includes(byte[] entry, long index, IReadOnlyList<byte[]> inclusionProof) =>
        Latest is { } seen && MerkleVerification.VerifyInclusion(index, seen.Size, MerkleHash.Leaf(entry), inclusionProof, seen.RootHash);
}
