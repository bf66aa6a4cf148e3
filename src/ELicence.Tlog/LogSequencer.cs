namespace ELicence.Tlog;

/// <summary>A leaf waiting to be sequenced. <see cref="Id"/> is its identity (one receipt, one licence event): a leaf is in the log at most once per identity.</summary>
public sealed record PendingLeaf(string Id, byte[] Entry);

/// <summary>A leaf given index <see cref="Index"/> by a batch (not yet committed until that batch's checkpoint is written).</summary>
public sealed record SequencedLeaf(string Id, long Index, byte[] Entry);

/// <summary>The sequencer's durable state beside the tiles: the latest signed checkpoint, pending leaves, and which index each identity got.</summary>
public interface ILogState
{
    Task<string?> ReadCheckpointAsync(CancellationToken cancellationToken);

    Task WriteCheckpointAsync(string signedCheckpoint, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> pending leaves, always in the same order for the same set.</summary>
    Task<IReadOnlyList<PendingLeaf>> ReadPendingAsync(int max, CancellationToken cancellationToken);

    Task<long?> FindIndexAsync(string id, CancellationToken cancellationToken);

    /// <summary>Records each leaf's index under its id (and whatever lookups the store keeps: leaf hash, credit code); a rerun records again.</summary>
    Task RecordIndexesAsync(IReadOnlyList<SequencedLeaf> leaves, CancellationToken cancellationToken);

    Task RemovePendingAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken);
}

/// <summary>
/// Appends pending leaves to the tiled log and signs a checkpoint. Order of writes is what makes a crash harmless:
/// tiles and index entries first, the checkpoint (the commit point) next, pending leaves removed last. A rerun starts
/// from the last checkpoint, so tiles beyond it are overwritten, and a pending leaf whose recorded index is already
/// under the checkpoint with the same leaf hash is not appended again. Callers run it under a single-writer lease.
/// </summary>
public sealed class LogSequencer(ITileStore tiles, ILogState state, NoteSigner signer, string origin)
{
    public const int MaxBatch = 4096;

    public async Task<Checkpoint> CurrentAsync(CancellationToken cancellationToken)
    {
        var note = await state.ReadCheckpointAsync(cancellationToken);
        if (note is null)
        {
            return new Checkpoint(origin, 0, MerkleHash.EmptyRoot());
        }

        return Checkpoint.TryOpen(note, signer.Verifier, origin, out var checkpoint)
            ? checkpoint!
            : throw new InvalidDataException("The stored checkpoint does not verify under the log's own note key.");
    }

    /// <summary>Sequences one batch; returns the checkpoint after it (unchanged when nothing was pending).</summary>
    public async Task<Checkpoint> SequenceBatchAsync(CancellationToken cancellationToken)
    {
        var current = await CurrentAsync(cancellationToken);
        var pending = await state.ReadPendingAsync(MaxBatch, cancellationToken);
        var tree = new TreeHashes(tiles, current.Size);
        var already = new List<string>();
        var fresh = new List<PendingLeaf>();
        foreach (var leaf in pending.DistinctBy(l => l.Id))
        {
            if (await IsSequencedAsync(tree, leaf, cancellationToken))
            {
                already.Add(leaf.Id);
            }
            else
            {
                fresh.Add(leaf);
            }
        }

        var next = current;
        if (fresh.Count > 0)
        {
            var appended = await TileAppender.AppendAsync(tiles, current.Size, fresh.Select(l => l.Entry).ToList(), cancellationToken);
            foreach (var (path, content) in appended.Resources)
            {
                await tiles.WriteAsync(path, content, cancellationToken);
            }

            await state.RecordIndexesAsync(fresh.Select((l, i) => new SequencedLeaf(l.Id, current.Size + i, l.Entry)).ToList(), cancellationToken);
            next = new Checkpoint(origin, appended.TreeSize, appended.RootHash);
            await state.WriteCheckpointAsync(signer.Sign(next.Text), cancellationToken);
        }

        await state.RemovePendingAsync([.. already, .. fresh.Select(l => l.Id)], cancellationToken);
        return next;
    }

    // An index recorded by a batch that crashed before its checkpoint may point past the tree, or (after later batches)
    // at another leaf; only the same leaf hash under the checkpoint counts.
    private async Task<bool> IsSequencedAsync(TreeHashes tree, PendingLeaf leaf, CancellationToken cancellationToken)
    {
        var index = await state.FindIndexAsync(leaf.Id, cancellationToken);
        if (index is not { } i || i >= tree.TreeSize)
        {
            return false;
        }

        var stored = await tree.LeafAsync(i, cancellationToken);
        return stored.AsSpan().SequenceEqual(MerkleHash.Leaf(leaf.Entry));
    }
}
