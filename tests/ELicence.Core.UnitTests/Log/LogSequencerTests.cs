using ELicence.Core.Log;
using ELicence.Tlog;
using ELicence.Tlog.Tests;

namespace ELicence.Core.UnitTests.Log;

public class LogSequencerTests
{
    private const string Origin = "elicence.test/log";

    private static readonly NoteSigner Signer = new(Origin, Enumerable.Repeat((byte)3, 32).ToArray());

    [Fact]
    public async Task Batch_is_appended_under_a_signed_checkpoint_and_pending_leaves_are_removed()
    {
        var log = new InMemoryLog();
        log.Add("receipt:a", "A");
        log.Add("receipt:b", "B");

        var checkpoint = await new LogSequencer(log, log, Signer, Origin).SequenceBatchAsync(default);

        Assert.Equal(2, checkpoint.Size);
        Assert.Empty(log.Pending);
        Assert.True(Checkpoint.TryOpen(log.CheckpointNote!, Signer.Verifier, Origin, out var stored));
        Assert.Equal(checkpoint.RootHash, stored!.RootHash);
        Assert.Equal(MerkleHash.Node(MerkleHash.Leaf("A"u8), MerkleHash.Leaf("B"u8)), stored.RootHash);
    }

    [Fact]
    public async Task A_crash_at_any_write_loses_no_leaf_and_duplicates_none_after_the_next_run()
    {
        var clean = await RunWithCrashAsync(crashAfterWrites: null);
        var writesInCleanRun = clean.Writes;

        for (var crashAt = 0; crashAt < writesInCleanRun; crashAt++)
        {
            var log = await RunWithCrashAsync(crashAt);

            Assert.True(Checkpoint.TryOpen(log.CheckpointNote!, Signer.Verifier, Origin, out var checkpoint));
            var entries = await EntriesAsync(log, checkpoint!.Size);
            Assert.Equal(["a0", "a1", "a2", "b0", "b1", "c0"], entries.Order(StringComparer.Ordinal));
            Assert.Empty(log.Pending);
            Assert.Equal(NaiveMerkle.Root(entries.Select(e => MerkleHash.Leaf(Encoding.UTF8.GetBytes(e))).ToArray()), checkpoint.RootHash);
        }
    }

    [Fact]
    public async Task A_leaf_queued_again_after_it_was_sequenced_is_not_appended_twice()
    {
        var log = new InMemoryLog();
        var sequencer = new LogSequencer(log, log, Signer, Origin);
        log.Add("event:1", "e1");
        await sequencer.SequenceBatchAsync(default);

        log.Add("event:1", "e1"); // the outbox delivers at least once
        log.Add("event:2", "e2");
        var checkpoint = await sequencer.SequenceBatchAsync(default);

        Assert.Equal(2, checkpoint.Size);
        Assert.Equal(["e1", "e2"], await EntriesAsync(log, 2));
    }

    [Fact]
    public async Task A_stored_checkpoint_that_does_not_verify_stops_the_sequencer()
    {
        var log = new InMemoryLog();
        var sequencer = new LogSequencer(log, log, Signer, Origin);
        log.Add("event:1", "e1");
        await sequencer.SequenceBatchAsync(default);
        log.CheckpointNote = log.CheckpointNote!.Replace("\n1\n", "\n2\n", StringComparison.Ordinal);
        log.Add("event:2", "e2");

        await Assert.ThrowsAsync<InvalidDataException>(() => sequencer.SequenceBatchAsync(default));
        Assert.Contains("event:2", log.Pending.Keys);
    }

    // Three batches (a*, then b*, then c*); the first run crashes at the given write, later runs finish.
    private static async Task<InMemoryLog> RunWithCrashAsync(int? crashAfterWrites)
    {
        var log = new InMemoryLog();
        var sequencer = new LogSequencer(log, log, Signer, Origin);
        log.CrashAfterWrites = crashAfterWrites;
        try
        {
            foreach (var batch in new[] { new[] { "a0", "a1", "a2" }, ["b0", "b1"], ["c0"] })
            {
                foreach (var entry in batch)
                {
                    log.Add(entry, entry);
                }

                await sequencer.SequenceBatchAsync(default);
            }
        }
        catch (IOException)
        {
            log.CrashAfterWrites = null;
            foreach (var entry in new[] { "a0", "a1", "a2", "b0", "b1", "c0" })
            {
                if (!log.Indexes.ContainsKey(entry) && !log.Pending.ContainsKey(entry))
                {
                    log.Add(entry, entry); // not yet produced when the crash happened
                }
            }

            while (log.Pending.Count > 0)
            {
                await sequencer.SequenceBatchAsync(default);
            }
        }

        return log;
    }

    private static async Task<List<string>> EntriesAsync(InMemoryLog log, long size)
    {
        var entries = new List<string>();
        for (long bundle = 0; bundle * TilePath.Width < size; bundle++)
        {
            var width = TilePath.WidthAt(0, bundle, size);
            var content = await log.ReadAsync(TilePath.EntryBundle(bundle, width), default);
            Assert.True(EntryBundle.TryDecode(content!, out var decoded));
            entries.AddRange(decoded.Select(e => Encoding.UTF8.GetString(e)));
        }

        return entries;
    }
}
