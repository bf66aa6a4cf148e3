using System.Globalization;
using ELicence.Core.Credentials;
using ELicence.Core.Log;
using ELicence.Tlog;
using ELicence.Tlog.Tests;

namespace ELicence.Core.UnitTests.Log;

/// <summary>The log's public side over in-memory tiles and index: only what the checkpoint covers, proofs for every earlier size, bad input named.</summary>
public class LogReaderTests
{
    private static readonly CreditCode Code = CreditCodeAllocation.CodeFor(11, EntityType.LimitedLiabilityCompany);
    private static readonly CreditCode OtherCode = CreditCodeAllocation.CodeFor(12, EntityType.LimitedLiabilityCompany);

    private readonly InMemoryLog _log = new();
    private readonly InMemoryNoteKeyStore _keys = new();

    private LogNoteKey NoteKey(string? origin = null) => new(_keys, new LogOptions { Origin = origin }, new IssuerOptions { Id = "https://elicence.example" });

    private LogReader Reader() => new(_log, _log, NoteKey(), CreditCodeExceptionList.None);

    [Fact]
    public async Task Before_the_first_batch_the_checkpoint_is_the_signed_empty_tree_under_a_key_named_after_the_issuer_host()
    {
        var (note, checkpoint) = await Reader().CheckpointAsync(default);

        Assert.Equal("elicence.example/log", checkpoint.Origin);
        Assert.Equal(0, checkpoint.Size);
        Assert.Equal(MerkleHash.EmptyRoot(), checkpoint.RootHash);
        Assert.True(NoteVerifier.TryParse(await Reader().VerifierKeyAsync(default), out var verifier));
        Assert.True(Checkpoint.TryOpen(note, verifier!, "elicence.example/log", out _));
    }

    [Fact]
    public async Task The_note_key_is_created_once_in_the_standard_text_form_and_a_later_origin_setting_changes_nothing()
    {
        var first = await NoteKey("first.example/log").GetAsync(default);
        var second = await NoteKey("second.example/log").GetAsync(default);

        Assert.StartsWith("PRIVATE+KEY+first.example/log+", _keys.Stored, StringComparison.Ordinal);
        Assert.Equal(first.VerifierKey, second.VerifierKey);
        Assert.Equal("first.example/log", second.Name);
    }

    [Fact]
    public async Task Inclusion_and_consistency_proofs_verify_for_every_earlier_size_even_without_its_partial_tiles()
    {
        var entries = await SequenceAsync(Enumerable.Range(0, 300).Select(i => $"{{\"kind\":\"test\",\"n\":{i}}}").ToArray()); // one batch: no partial tile of sizes < 300
        var reader = Reader();
        var roots = Enumerable.Range(0, 301).Select(n => n == 0 ? MerkleHash.EmptyRoot() : NaiveMerkle.Root([.. entries.Take(n).Select(e => MerkleHash.Leaf(e))])).ToList();

        foreach (var size in new long[] { 1, 2, 7, 10, 255, 256, 257, 299, 300 })
        {
            foreach (var index in new long[] { 0, size / 2, size - 1 })
            {
                var proof = await reader.InclusionAsync(Convert.ToBase64String(MerkleHash.Leaf(entries[(int)index])), size.ToString(CultureInfo.InvariantCulture), default);
                Assert.Equal(index, proof.LeafIndex);
                Assert.True(MerkleVerification.VerifyInclusion(index, size, MerkleHash.Leaf(entries[(int)index]), Hashes(proof.Hashes), roots[(int)size]));
            }

            foreach (var from in new long[] { 1, 3, size / 2, size })
            {
                var first = Math.Min(from, size);
                var consistency = await reader.ConsistencyAsync(first.ToString(CultureInfo.InvariantCulture), size.ToString(CultureInfo.InvariantCulture), default);
                Assert.True(MerkleVerification.VerifyConsistency(first, size, roots[(int)first], roots[(int)size], Hashes(consistency.Hashes)));
            }
        }
    }

    [Fact]
    public async Task A_leaf_beyond_the_asked_size_or_unknown_is_not_found()
    {
        var entries = await SequenceAsync("{\"kind\":\"test\",\"n\":0}", "{\"kind\":\"test\",\"n\":1}");

        var beyond = await Assert.ThrowsAsync<ProblemException>(() => Reader().InclusionAsync(Convert.ToBase64String(MerkleHash.Leaf(entries[1])), "1", default));
        var unknown = await Assert.ThrowsAsync<ProblemException>(() => Reader().InclusionAsync(Convert.ToBase64String(new byte[32]), "2", default));

        Assert.Equal(ProblemType.NotFound, beyond.Type);
        Assert.Equal(ProblemType.NotFound, unknown.Type);
    }

    [Fact]
    public async Task Tiles_are_served_only_as_the_current_tree_has_them()
    {
        await SequenceAsync(Enumerable.Range(0, 10).Select(i => $"{{\"n\":{i}}}").ToArray());
        await SequenceAsync(Enumerable.Range(10, 300).Select(i => $"{{\"n\":{i}}}").ToArray());
        var reader = Reader();

        Assert.True((await reader.TileAsync("0/000", default))!.Immutable);
        Assert.False((await reader.TileAsync("0/001.p/54", default))!.Immutable);
        Assert.NotNull(await reader.TileAsync("entries/001.p/54", default));
        Assert.NotNull(_log.Resources.GetValueOrDefault("tile/0/000.p/10")); // stored by the first batch…
        Assert.Equal((await reader.TileAsync("0/000", default))!.Content[..320], (await reader.TileAsync("0/000.p/10", default))!.Content); // an older width: a prefix of the current tile
        Assert.Null(await reader.TileAsync("0/002", default));
        Assert.Null(await reader.TileAsync("1/000.p/2", default));
        Assert.NotNull(await reader.TileAsync("1/000.p/1", default));
    }

    [Fact]
    public async Task Resources_a_crashed_batch_left_beyond_the_checkpoint_are_not_served()
    {
        await SequenceAsync("{\"n\":0}");
        _log.Add("late", "{\"n\":1}");
        _log.CrashAfterWrites = _log.Writes + 2; // both tiles of the batch written, then the crash
        await Assert.ThrowsAsync<IOException>(() => Sequencer().SequenceBatchAsync(default));

        Assert.Contains("tile/0/000.p/2", _log.Resources.Keys);
        Assert.Null(await Reader().TileAsync("0/000.p/2", default));
        Assert.Null(await Reader().TileAsync("entries/000.p/2", default));
    }

    [Theory]
    [InlineData("0/1")]
    [InlineData("0/0000")]
    [InlineData("0/000.p/256")]
    [InlineData("0/000.p/0")]
    [InlineData("0/000.p/007")]
    [InlineData("64/000")]
    [InlineData("01/000")]
    [InlineData("0/x000/001")]
    [InlineData("0/x001/x002/x003/x004/x005/006")]
    [InlineData("entries/../checkpoint")]
    [InlineData("tile/0/000")]
    [InlineData("")]
    public async Task A_tile_name_that_is_not_canonical_tlog_tiles_is_a_problem_naming_path(string path)
    {
        var problem = await Assert.ThrowsAsync<ProblemException>(() => Reader().TileAsync(path, default));

        Assert.Equal("path", problem.Errors.Single().Field);
    }

    [Theory]
    [InlineData(null, "1", "leaf")]
    [InlineData("AAAA", "1", "leaf")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "1", "leaf")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", null, "size")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "0", "size")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "01", "size")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "3", "size")]
    public async Task Bad_inclusion_parameters_are_problems_naming_them(string? leaf, string? size, string field)
    {
        await SequenceAsync("{\"n\":0}", "{\"n\":1}");

        var problem = await Assert.ThrowsAsync<ProblemException>(() => Reader().InclusionAsync(leaf, size, default));

        Assert.Equal(field, problem.Errors.Single().Field);
    }

    [Theory]
    [InlineData("2", "1", "from")]
    [InlineData("-1", "1", "from")]
    [InlineData("1", "3", "to")]
    [InlineData("1", "", "to")]
    public async Task Bad_consistency_parameters_are_problems_naming_them(string from, string to, string field)
    {
        await SequenceAsync("{\"n\":0}", "{\"n\":1}");

        var problem = await Assert.ThrowsAsync<ProblemException>(() => Reader().ConsistencyAsync(from, to, default));

        Assert.Equal(field, problem.Errors.Single().Field);
    }

    [Fact]
    public async Task A_receipt_proof_carries_its_entry_and_the_checkpoint_and_is_absent_until_sequenced()
    {
        await SequenceAsync("{\"n\":0}");
        var leaf = LogEntries.ForSignedReceipt("receipt", "rcpt_1", Code.Value, Builders.IssuedAt, "a.b.c");
        Assert.Null(await Reader().ProofOfAsync(leaf.Id, default));

        await _log.AddAsync(leaf, default);
        await Sequencer().SequenceBatchAsync(default);
        var proof = await Reader().ProofOfAsync(leaf.Id, default);

        Assert.NotNull(proof);
        Assert.Equal(leaf.Entry, Convert.FromBase64String(proof.Entry));
        Assert.True(Checkpoint.TryOpen(proof.Checkpoint, (await NoteKey().GetAsync(default)).Verifier, "elicence.example/log", out var checkpoint));
        Assert.True(MerkleVerification.VerifyInclusion(proof.LeafIndex, checkpoint!.Size, MerkleHash.Leaf(leaf.Entry), Hashes(proof.Hashes), checkpoint.RootHash));
    }

    [Fact]
    public async Task An_index_a_crashed_batch_recorded_past_the_checkpoint_or_at_another_leaf_is_not_a_proof()
    {
        await SequenceAsync(
            Encoding.UTF8.GetString(LogEntries.ForSignedReceipt("receipt", "rcpt_here", OtherCode.Value, Builders.IssuedAt, "a.b.c").Entry),
            "{\"n\":1}");
        _log.Indexes["receipt:rcpt_here"] = 0;
        _log.Indexes["receipt:rcpt_past"] = 5;
        _log.Indexes["receipt:rcpt_other"] = 0;  // leaf 0 is rcpt_here's
        _log.ByCode[Code.Value] = [0, 1, 7];

        Assert.Null(await Reader().ProofOfAsync("receipt:rcpt_past", default));
        Assert.Null(await Reader().ProofOfAsync("receipt:rcpt_other", default));
        Assert.Empty((await Reader().AboutAsync(Code, null, default)).Items); // no leaf under the checkpoint names the licence
        Assert.NotNull(await Reader().ProofOfAsync("receipt:rcpt_here", default));
    }

    [Fact]
    public async Task A_licence_s_entries_are_read_from_the_bundles_and_only_its_own()
    {
        await SequenceAsync(
            Encoding.UTF8.GetString(LogEntries.ForSignedReceipt("receipt", "rcpt_a", Code.Value, Builders.IssuedAt, "a.b.c").Entry),
            Encoding.UTF8.GetString(LogEntries.ForSignedReceipt("receipt", "rcpt_b", OtherCode.Value, Builders.IssuedAt, "a.b.c").Entry),
            Encoding.UTF8.GetString(LogEntries.ForSignedReceipt("batch-receipt", "rcptb_c", null, Builders.IssuedAt, "a.b.c").Entry));

        var items = (await Reader().AboutAsync(Code, null, default)).Items;

        var item = Assert.Single(items);
        Assert.Equal(0, item.LeafIndex);
        Assert.Equal("receipt", item.Kind);
        Assert.Equal("rcpt_a", item.Entry.GetProperty("receipt").GetString());
        Assert.Equal(Convert.ToBase64String(MerkleHash.Leaf(LogEntries.ForSignedReceipt("receipt", "rcpt_a", Code.Value, Builders.IssuedAt, "a.b.c").Entry)), item.LeafHash);
    }

    [Fact]
    public async Task A_licence_with_many_entries_is_listed_in_pages_that_resume_after_the_last_index()
    {
        var receipts = Enumerable.Range(0, 450).Select(i => LogEntries.ForSignedReceipt("receipt", $"rcpt_{i:D4}", Code.Value, Builders.IssuedAt, "a.b.c")).ToList();
        foreach (var leaf in receipts)
        {
            await _log.AddAsync(leaf, default);
        }

        await Sequencer().SequenceBatchAsync(default);
        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await Reader().AboutAsync(Code, after, default);
            seen.AddRange(page.Items.Select(i => i.Entry.GetProperty("receipt").GetString()!));
            after = page.NextAfter?.ToString(CultureInfo.InvariantCulture);
            pages++;
        }
        while (after is not null);

        Assert.Equal(3, pages);
        Assert.Equal(receipts.Select(r => r.Id["receipt:".Length..]).Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.Equal("after", (await Assert.ThrowsAsync<ProblemException>(() => Reader().AboutAsync(Code, "-1", default))).Errors.Single().Field);
    }

    private LogSequencer Sequencer()
    {
        var signer = NoteKey().GetAsync(default).AsTask().GetAwaiter().GetResult();
        return new LogSequencer(_log, _log, signer, signer.Name);
    }

    private async Task<List<byte[]>> SequenceAsync(params string[] entries)
    {
        var start = _log.Indexes.Count;
        for (var i = 0; i < entries.Length; i++)
        {
            _log.Add($"leaf:{start + i:D6}", entries[i]);
        }

        await Sequencer().SequenceBatchAsync(default);
        return [.. entries.Select(e => Encoding.UTF8.GetBytes(e))];
    }

    private static List<byte[]> Hashes(IEnumerable<string> hashes) => [.. hashes.Select(Convert.FromBase64String)];
}
