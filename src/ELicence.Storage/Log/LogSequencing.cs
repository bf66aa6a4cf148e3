using Azure.Storage.Blobs.Specialized;
using ELicence.Core.Log;
using Microsoft.Extensions.Logging;
using ELicence.Tlog;

namespace ELicence.Storage.Log;

/// <summary>
/// The single writer of the log: a lease on blob <c>log/sequencer.lock</c>, renewed while held. Whoever holds it may
/// sequence; anyone else skips (the holder is already doing the work). A holder whose renewal fails stops at once.
/// </summary>
public sealed class SequencerLease(StorageClients storage)
{
    public const string LockBlob = "sequencer.lock";
    public static readonly TimeSpan LeaseFor = TimeSpan.FromSeconds(60);
    private readonly BlobClient _lock = storage.Container(StorageNames.LogContainer).GetBlobClient(LockBlob);

    /// <summary>The held lease, or null when another writer holds it. Dispose to release.</summary>
    public async Task<HeldLease?> TryAcquireAsync(CancellationToken cancellationToken)
    {
        await BlobWrites.TryUploadOnceAsync(_lock, BinaryData.FromString("lock"), "text/plain", null, cancellationToken);
        var lease = _lock.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(LeaseFor, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }

        return new HeldLease(lease, cancellationToken);
    }

    /// <summary>A held lease: renewed every third of its duration; <see cref="Token"/> is cancelled when a renewal fails.</summary>
    public sealed class HeldLease : IAsyncDisposable
    {
        private readonly BlobLeaseClient _lease;
        private readonly CancellationTokenSource _held;
        private readonly Task _renewal;

        internal HeldLease(BlobLeaseClient lease, CancellationToken cancellationToken)
        {
            _lease = lease;
            _held = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _renewal = RenewAsync();
        }

        /// <summary>Cancelled when the lease is lost (or the caller's token is).</summary>
        public CancellationToken Token => _held.Token;

        public async ValueTask DisposeAsync()
        {
            await _held.CancelAsync();
            await _renewal;
            try
            {
                await _lease.ReleaseAsync(cancellationToken: CancellationToken.None);
            }
            catch (RequestFailedException)
            {
                // Lost or expired already: it ends by itself.
            }

            _held.Dispose();
        }

        private async Task RenewAsync()
        {
            try
            {
                while (true)
                {
                    await Task.Delay(LeaseFor / 3, _held.Token);
                    await _lease.RenewAsync(cancellationToken: _held.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (RequestFailedException)
            {
                await _held.CancelAsync(); // someone else holds it now: stop writing
            }
        }
    }
}

/// <summary>One run of the sequencer (timer or <c>log-sequence</c> nudge): under the lease, batches until nothing full is left.</summary>
public sealed class LogSequencing(SequencerLease lease, TileBlobStore tiles, PendingLeafStore pending, LogIndexStore index, LogNoteKey noteKey, ILogger<LogSequencing> logger)
{
    /// <summary>Batches per run at most, so a run ends and the next timer tick takes over (and the lease changes hands if it must).</summary>
    public const int MaxBatchesPerRun = 16;

    /// <summary>The tree size after the run, or null when another writer holds the lease.</summary>
    public async Task<long?> RunAsync(CancellationToken cancellationToken)
    {
        await using var held = await lease.TryAcquireAsync(cancellationToken);
        if (held is null)
        {
            return null;
        }

        var signer = await noteKey.GetAsync(held.Token);
        var sequencer = new LogSequencer(tiles, new SequencerState(pending, index), signer, signer.Name);
        var size = (await sequencer.CurrentAsync(held.Token)).Size;
        for (var batch = 0; batch < MaxBatchesPerRun; batch++)
        {
            var before = size;
            size = (await sequencer.SequenceBatchAsync(held.Token)).Size;
            if (size > before)
            {
                logger.LogInformation("Log sequenced {Count} leaves; tree size {Size}", size - before, size);
            }

            if (size - before < LogSequencer.MaxBatch)
            {
                break;
            }
        }

        return size;
    }
}
