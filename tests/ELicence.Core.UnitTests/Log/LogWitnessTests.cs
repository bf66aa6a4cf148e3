using ELicence.Core.Log;
using ELicence.Tlog;

namespace ELicence.Core.UnitTests.Log;

/// <summary>A second party keeps the last checkpoint it saw and detects a rewritten leaf, a truncated tree and forged notes.</summary>
public class LogWitnessTests
{
    private const string Origin = "elicence.test/log";

    private static readonly NoteSigner Signer = new(Origin, Enumerable.Repeat((byte)5, 32).ToArray());

    [Fact]
    public async Task Append_only_growth_is_accepted_and_a_receipt_entry_proves_inclusion()
    {
        var (log, first) = await LogWithAsync(Entries(5));
        var witness = new LogWitness(Signer.Verifier, Origin);
        Assert.Equal(WitnessVerdict.Consistent, witness.Observe(first, []));

        var second = await AppendAsync(log, Entries(8)[5..]);
        var proof = await new TreeHashes(log, 8).ProofAsync(MerkleRanges.Consistency(5, 8), default);

        Assert.Equal(WitnessVerdict.Consistent, witness.Observe(second, proof));
        var inclusion = await new TreeHashes(log, 8).ProofAsync(MerkleRanges.Inclusion(6, 8), default);
        Assert.True(witness.Includes(Entries(8)[6], 6, inclusion));
        Assert.False(witness.Includes(Encoding.UTF8.GetBytes("entry 7"), 6, inclusion));
    }

    [Fact]
    public async Task A_rewritten_leaf_is_detected_even_when_the_log_signs_the_new_history()
    {
        var (_, first) = await LogWithAsync(Entries(5));
        var witness = new LogWitness(Signer.Verifier, Origin);
        witness.Observe(first, []);

        var rewritten = Entries(8);
        rewritten[2] = Encoding.UTF8.GetBytes("entry 2, back-dated");
        var (forged, forgedCheckpoint) = await LogWithAsync(rewritten);
        var proof = await new TreeHashes(forged, 8).ProofAsync(MerkleRanges.Consistency(5, 8), default);

        Assert.Equal(WitnessVerdict.Inconsistent, witness.Observe(forgedCheckpoint, proof));
        Assert.Equal(5, witness.Latest!.Size);
    }

    [Fact]
    public async Task A_truncated_tree_is_detected()
    {
        var (_, eight) = await LogWithAsync(Entries(8));
        var (_, five) = await LogWithAsync(Entries(5));
        var witness = new LogWitness(Signer.Verifier, Origin);
        witness.Observe(eight, []);

        Assert.Equal(WitnessVerdict.Truncated, witness.Observe(five, []));
    }

    [Fact]
    public async Task A_checkpoint_signed_by_another_key_or_for_another_origin_is_refused()
    {
        var (_, note) = await LogWithAsync(Entries(3));
        var other = new NoteSigner(Origin, Enumerable.Repeat((byte)6, 32).ToArray());
        var witness = new LogWitness(Signer.Verifier, Origin);

        Assert.Equal(WitnessVerdict.BadSignature, witness.Observe(other.Sign(note[..note.IndexOf("\n\n", StringComparison.Ordinal)] + "\n"), []));
        Assert.Equal(WitnessVerdict.BadSignature, new LogWitness(Signer.Verifier, "other.example/log").Observe(note, []));
        Assert.Null(witness.Latest);
    }

    private static byte[][] Entries(int count) => TileTests.Entries(count);

    private static async Task<(InMemoryLog Log, string Checkpoint)> LogWithAsync(byte[][] entries)
    {
        var log = new InMemoryLog();
        return (log, await AppendAsync(log, entries));
    }

    private static async Task<string> AppendAsync(InMemoryLog log, byte[][] entries)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            log.Pending[$"{log.Indexes.Count + i:D6}"] = entries[i];
        }

        var checkpoint = await new LogSequencer(log, log, Signer, Origin).SequenceBatchAsync(default);
        return log.CheckpointNote ?? throw new InvalidOperationException($"no checkpoint at {checkpoint.Size}");
    }
}
