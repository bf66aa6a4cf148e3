using ELicence.Core.Log;
using ELicence.Tlog;

namespace ELicence.Storage.Log;

/// <summary>
/// The sequencer's <see cref="ILogState"/> for one run: pending leaves from <see cref="PendingLeafStore"/>, indexes and the
/// checkpoint through <see cref="LogIndexStore"/>. It remembers the checkpoint's ETag from its last read, so the checkpoint
/// it writes replaces exactly that one (the commit point stays single-writer even if a lease lapsed).
/// </summary>
public sealed class SequencerState(PendingLeafStore pending, LogIndexStore index) : ILogState
{
    private ETag? _checkpointETag;

    public async Task<string?> ReadCheckpointAsync(CancellationToken cancellationToken)
    {
        var read = await index.ReadCheckpointWithETagAsync(cancellationToken);
        _checkpointETag = read?.ETag;
        return read?.Note;
    }

    public async Task WriteCheckpointAsync(string signedCheckpoint, CancellationToken cancellationToken) =>
        _checkpointETag = await index.WriteCheckpointAsync(signedCheckpoint, _checkpointETag, cancellationToken);

    public Task<IReadOnlyList<PendingLeaf>> ReadPendingAsync(int max, CancellationToken cancellationToken) => pending.ReadAsync(max, cancellationToken);

    public Task<long?> FindIndexAsync(string id, CancellationToken cancellationToken) => index.FindIndexAsync(id, cancellationToken);

    public Task RecordIndexesAsync(IReadOnlyList<SequencedLeaf> leaves, CancellationToken cancellationToken) => index.RecordAsync(leaves, cancellationToken);

    public Task RemovePendingAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) => pending.RemoveAsync(ids, cancellationToken);
}
