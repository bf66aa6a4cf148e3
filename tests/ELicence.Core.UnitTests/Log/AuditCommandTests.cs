using System.Security.Cryptography;
using System.Text.Json;
using ELicence.Core.Log;
using ELicence.OfflineVerifier;
using ELicence.Jose;
using ELicence.Tlog;

namespace ELicence.Core.UnitTests.Log;

/// <summary>
/// `elicence audit …` against a log built in-process by the real sequencer and served at the API's fixed paths: every
/// command passes on the honest log and fails, naming the problem, on a tampered tile or entry bundle, a forged
/// checkpoint, a truncated or forked tree, and an altered receipt.
/// </summary>
public sealed class AuditCommandTests : IDisposable
{
    private const string Origin = "elicence.test/log";

    private static readonly NoteSigner Signer = new(Origin, Enumerable.Repeat((byte)7, 32).ToArray());

    private static readonly NoteSigner Impostor = new(Origin, Enumerable.Repeat((byte)8, 32).ToArray());

    private static readonly SigningKey ReceiptKey = SigningKey.Create(DateTimeOffset.UnixEpoch);

    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("elicence-audit");

    public void Dispose() => _files.Delete(recursive: true);

    [Fact]
    public async Task Checkpoint_on_first_use_prints_the_served_key_to_pin_and_saves_the_note()
    {
        var server = Serve(await LogAsync(Entries(0, 600)));
        var saved = FilePath("first.checkpoint");

        var run = await AuditAsync(server, "checkpoint", "--url", LogHttpHandler.BaseUrl, "--save", saved);

        Assert.Equal(0, run.Exit);
        Assert.Contains(Signer.VerifierKey, run.Error, StringComparison.Ordinal);
        Assert.Equal(600, run.Json.GetProperty("treeSize").GetInt64());
        Assert.Equal(Origin, run.Json.GetProperty("origin").GetString());
        Assert.Equal(RootOf(server.Log), run.Json.GetProperty("rootHash").GetString());
        Assert.Equal(server.Log.CheckpointNote, await File.ReadAllTextAsync(saved));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Checkpoint_with_a_pinned_key_never_asks_the_service_for_its_key(bool fromFile)
    {
        var server = Serve(await LogAsync(Entries(0, 3)));
        var keyFile = FilePath("log.vkey");
        await File.WriteAllTextAsync(keyFile, Signer.VerifierKey + "\n");

        var run = fromFile
            ? await AuditAsync(server, "checkpoint", "--url", LogHttpHandler.BaseUrl, "--key-file", keyFile)
            : await PinnedAsync(server, "checkpoint");

        Assert.Equal(0, run.Exit);
        Assert.Equal(Signer.VerifierKey, run.Json.GetProperty("key").GetString());
        Assert.DoesNotContain("/api/v1/log/key", server.Requests);
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task A_checkpoint_signed_by_another_key_under_the_same_name_is_refused()
    {
        var server = Serve(await LogAsync(Entries(0, 10)));
        server.Log.CheckpointNote = Impostor.Sign(BodyOf(server.Log.CheckpointNote!));

        var run = await PinnedAsync(server, "checkpoint");

        Assert.Equal(1, run.Exit);
        Assert.Contains("is not signed by the log key", Failure(run), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_checkpoint_whose_size_was_edited_after_signing_is_refused()
    {
        var server = Serve(await LogAsync(Entries(0, 10)));
        server.Log.CheckpointNote = server.Log.CheckpointNote!.Replace("\n10\n", "\n11\n", StringComparison.Ordinal);

        var run = await PinnedAsync(server, "checkpoint");

        Assert.Equal(1, run.Exit);
        Assert.Contains("is not signed by the log key", Failure(run), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_checkpoint_for_another_origin_is_refused_when_the_origin_is_pinned()
    {
        var server = Serve(await LogAsync(Entries(0, 2)));

        var run = await PinnedAsync(server, "checkpoint", "--origin", "other.example/log");

        Assert.Equal(1, run.Exit);
        Assert.Contains("origin 'elicence.test/log', not 'other.example/log'", Failure(run), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_checkpoint_of_another_origin_under_the_same_key_is_refused_by_default()
    {
        var server = Serve(await LogAsync(Entries(0, 2)));
        server.Log.CheckpointNote = Signer.Sign(new Checkpoint("elicence.test/other-log", 2, SHA256.HashData("x"u8)).Text);

        var run = await PinnedAsync(server, "checkpoint");

        Assert.Equal(1, run.Exit);
        Assert.Contains("origin 'elicence.test/other-log', not 'elicence.test/log'", Failure(run), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"from\":5,\"treeSize\":9,\"hashes\":[]}", "is not for sizes 5 → 600")]
    [InlineData("{\"from\":5,\"treeSize\":600,\"hashes\":[\"AA==\"]}", "'hashes[0]' is not a base64 SHA-256 hash")]
    [InlineData("<html>", "is not JSON")]
    public async Task A_consistency_answer_that_is_not_the_proof_asked_for_fails_the_check(string answer, string failure)
    {
        var log = await LogAsync(Entries(0, 5));
        var old = await SaveAsync(log, "old.checkpoint");
        await AppendAsync(log, Entries(5, 595));
        var server = Serve(log);
        server.Overrides["proofs/consistency"] = answer;

        var run = await PinnedAsync(server, "consistency", "--old", old);

        Assert.Equal(1, run.Exit);
        Assert.Contains(failure, Failure(run), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tile_larger_than_any_tile_can_be_is_refused_before_it_is_read_whole()
    {
        var server = Serve(await LogAsync(Entries(0, 600)));
        server.Log.Resources["tile/0/000"] = new byte[(256 * 32) + 1];

        var run = await PinnedAsync(server, "tiles");

        Assert.Equal(1, run.Exit);
        Assert.Contains("/api/v1/log/tile/0/000: the answer is larger than 8192 bytes", Failure(run), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("checkpoint")]
    [InlineData("checkpoint", "--url", "ftp://log.test")]
    [InlineData("checkpoint", "--url", LogHttpHandler.BaseUrl, "--key", "a+00000000+AQ==", "--key-file", "k")]
    [InlineData("checkpoint", "--url", LogHttpHandler.BaseUrl, "--old", "x")]
    [InlineData("checkpoint", "--url", LogHttpHandler.BaseUrl, "--save")]
    [InlineData("consistency", "--url", LogHttpHandler.BaseUrl)]
    [InlineData("receipt", "--proof", "p.json")]
    [InlineData("receipt", "r.jwt")]
    [InlineData("tiles", "--url", LogHttpHandler.BaseUrl, "--url", LogHttpHandler.BaseUrl)]
    [InlineData("witness", "--url", LogHttpHandler.BaseUrl)]
    public async Task Bad_usage_prints_the_usage_and_exits_2(params string[] args)
    {
        var run = await AuditAsync(Serve(await LogAsync(Entries(0, 1))), args);

        Assert.Equal(2, run.Exit);
        Assert.StartsWith("usage: elicence audit", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pinned_key_that_is_not_a_note_verifier_key_cannot_check_anything()
    {
        var run = await AuditAsync(Serve(await LogAsync(Entries(0, 1))), "checkpoint", "--url", LogHttpHandler.BaseUrl, "--key", "elicence.test/log+00000000+AQ==");

        Assert.Equal(2, run.Exit);
        Assert.Contains("not an Ed25519 note verifier key", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receipt_cannot_be_checked_without_a_key_or_a_url()
    {
        var (_, receiptFile, proofFile) = await ReceiptInLogAsync();

        var run = await AuditAsync(Serve(new InMemoryLog()), "receipt", receiptFile, "--proof", proofFile);

        Assert.Equal(2, run.Exit);
        Assert.Contains("--key, --key-file or --url", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5)]     // old size not a power of two: the proof has no implicit first hash
    [InlineData(256)]   // a full tile, a power of two
    [InlineData(600)]   // same size: no proof needed
    public async Task A_saved_checkpoint_is_consistent_with_the_grown_log(int oldSize)
    {
        var log = await LogAsync(Entries(0, oldSize));
        var old = await SaveAsync(log, "old.checkpoint");
        await AppendAsync(log, Entries(oldSize, 600 - oldSize));
        var server = Serve(log);

        var live = await PinnedAsync(server, "consistency", "--old", old);
        var saved = await PinnedAsync(server, "consistency", "--old", old, "--new", await SaveAsync(log, "new.checkpoint"));

        Assert.Equal((0, 0), (live.Exit, saved.Exit));
        Assert.Equal(oldSize, live.Json.GetProperty("old").GetProperty("treeSize").GetInt64());
        Assert.Equal(600, live.Json.GetProperty("new").GetProperty("treeSize").GetInt64());
        Assert.Equal(RootOf(log), saved.Json.GetProperty("new").GetProperty("rootHash").GetString());
    }

    [Theory]
    [InlineData(200, null, "truncated: the newer checkpoint has 200 leaves, fewer than the 300 of the older one")]
    [InlineData(300, 42, "fork: two checkpoints of size 300 with different roots")]
    [InlineData(700, 42, "the consistency proof from size 300 (")]
    [InlineData(700, 299, "the consistency proof from size 300 (")]
    public async Task A_saved_checkpoint_catches_a_truncated_or_rewritten_log(int servedSize, int? rewrittenLeaf, string failure)
    {
        var old = await SaveAsync(await LogAsync(Entries(0, 300)), "old.checkpoint");
        var served = Entries(0, servedSize);
        var server = Serve(await LogAsync(rewrittenLeaf is { } leaf ? Rewritten(served, leaf) : served));

        var run = await PinnedAsync(server, "consistency", "--old", old);

        Assert.Equal(1, run.Exit);
        Assert.StartsWith(failure, Failure(run), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_saved_checkpoint_edited_on_disk_is_refused()
    {
        var log = await LogAsync(Entries(0, 300));
        var old = FilePath("old.checkpoint");
        await File.WriteAllTextAsync(old, log.CheckpointNote!.Replace("\n300\n", "\n299\n", StringComparison.Ordinal));

        var run = await PinnedAsync(Serve(log), "consistency", "--old", old);

        Assert.Equal(1, run.Exit);
        Assert.Contains($"the checkpoint from {old} is not signed", Failure(run), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_receipt_is_proved_included_offline_and_the_log_still_holds_it_later(bool batch)
    {
        var (log, receiptFile, proofFile) = await ReceiptInLogAsync(batch);
        await AppendAsync(log, Entries(1000, 300));

        var offline = await OfflineAsync(receiptFile, proofFile);
        var online = await PinnedAsync(Serve(log), "receipt", receiptFile, "--proof", proofFile);

        Assert.Equal((0, 0), (offline.Exit, online.Exit));
        Assert.StartsWith(batch ? "batch-receipt:rcptb_" : "receipt:rcpt_", offline.Json.GetProperty("leaf").GetString(), StringComparison.Ordinal);
        Assert.Equal(401, offline.Json.GetProperty("treeSize").GetInt64());
        Assert.Equal(701, online.Json.GetProperty("live").GetProperty("treeSize").GetInt64());
    }

    [Fact]
    public async Task The_proof_entry_commits_to_the_SHA256_of_the_receipt_JWS_as_held()
    {
        var (_, receiptFile, proofFile) = await ReceiptInLogAsync();
        using var proof = JsonDocument.Parse(await File.ReadAllTextAsync(proofFile));
        using var entry = JsonDocument.Parse(Convert.FromBase64String(proof.RootElement.GetProperty("entry").GetString()!));

        Assert.Equal(B64Url.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(await File.ReadAllTextAsync(receiptFile)))), entry.RootElement.GetProperty("digest").GetString());
    }

    [Fact]
    public async Task A_receipt_whose_payload_was_altered_does_not_match_its_log_entry()
    {
        var (_, receiptFile, proofFile) = await ReceiptInLogAsync();
        var parts = (await File.ReadAllTextAsync(receiptFile)).Split('.');
        var payload = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1])).Replace("\"valid\":true", "\"valid\":false", StringComparison.Ordinal);
        await File.WriteAllTextAsync(receiptFile, $"{parts[0]}.{B64Url.Encode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}");

        var run = await OfflineAsync(receiptFile, proofFile);

        Assert.Equal(1, run.Exit);
        Assert.Contains("the proof's entry is not this receipt's", Failure(run), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receipt_whose_signature_was_altered_does_not_match_its_log_entry()
    {
        var (_, receiptFile, proofFile) = await ReceiptInLogAsync();
        var jws = await File.ReadAllTextAsync(receiptFile);
        await File.WriteAllTextAsync(receiptFile, jws[..^2] + (jws[^2] == 'A' ? 'B' : 'A') + jws[^1]);

        var run = await OfflineAsync(receiptFile, proofFile);

        Assert.Equal(1, run.Exit);
        Assert.Contains("the proof's entry is not this receipt's", Failure(run), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proof_hash_altered_does_not_lead_to_the_checkpoint()
    {
        var (_, receiptFile, proofFile) = await ReceiptInLogAsync();
        await EditProofAsync(proofFile, p => p["hashes"]![0] = Convert.ToBase64String(new byte[32]));

        var run = await OfflineAsync(receiptFile, proofFile);

        Assert.Equal(1, run.Exit);
        Assert.Contains("the inclusion proof of leaf 400 does not lead to the checkpoint's root", Failure(run), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proof_whose_checkpoint_was_forged_is_refused()
    {
        var (_, receiptFile, proofFile) = await ReceiptInLogAsync();
        await EditProofAsync(proofFile, p => p["checkpoint"] = Impostor.Sign(BodyOf(p["checkpoint"]!.GetValue<string>())));

        var run = await OfflineAsync(receiptFile, proofFile);

        Assert.Equal(1, run.Exit);
        Assert.Contains("(checkpoint) is not signed by the log key", Failure(run), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proof_with_another_leaf_index_or_tree_size_fails()
    {
        var (_, receiptFile, proofFile) = await ReceiptInLogAsync();
        await EditProofAsync(proofFile, p => p["leafIndex"] = 399);
        var otherIndex = await OfflineAsync(receiptFile, proofFile);
        await EditProofAsync(proofFile, p => (p["leafIndex"], p["treeSize"]) = (400, 402));
        var otherSize = await OfflineAsync(receiptFile, proofFile);

        Assert.Equal((1, 1), (otherIndex.Exit, otherSize.Exit));
        Assert.Contains("does not lead to the checkpoint's root", Failure(otherIndex), StringComparison.Ordinal);
        Assert.Contains("the proof is for a tree of 402 leaves but its checkpoint has 401", Failure(otherSize), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receipt_proof_checked_against_a_log_that_forked_since_fails()
    {
        var (log, receiptFile, proofFile) = await ReceiptInLogAsync();
        var forked = await LogAsync(Rewritten(Entries(0, 500), 7));

        var run = await PinnedAsync(Serve(forked), "receipt", receiptFile, "--proof", proofFile);

        Assert.Equal(1, run.Exit);
        Assert.Contains("the consistency proof from size 401", Failure(run), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "'leafIndex' is not a non-negative integer")]
    [InlineData("[1]", "not a JSON object")]
    [InlineData("{\"leafIndex\":-1}", "'leafIndex' is not a non-negative integer")]
    [InlineData("{\"leafIndex\":0,\"leafHash\":\"%%\"}", "'leafHash' is not standard base64")]
    [InlineData("{\"leafIndex\":0,\"leafHash\":\"AA==\",\"treeSize\":1,\"hashes\":[\"AA==\"]}", "'hashes[0]' is not a base64 SHA-256 hash")]
    [InlineData("not json", "is not JSON")]
    public async Task A_malformed_proof_file_is_named_member_by_member(string json, string message)
    {
        var (_, receiptFile, proofFile) = await ReceiptInLogAsync();
        await File.WriteAllTextAsync(proofFile, json);

        var run = await OfflineAsync(receiptFile, proofFile);

        Assert.Equal(2, run.Exit);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_that_is_not_a_receipt_is_refused()
    {
        var (_, receiptFile, proofFile) = await ReceiptInLogAsync();
        await File.WriteAllTextAsync(receiptFile, KeyJws.Sign(ReceiptKey, "vc+jwt", "{}"u8));

        var run = await OfflineAsync(receiptFile, proofFile);

        Assert.Equal(1, run.Exit);
        Assert.Contains("(typ vc+jwt) is not a receipt", Failure(run), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(256)]
    [InlineData(600)]
    [InlineData(65_537)]  // a level-2 tile
    public async Task Every_tile_and_entry_bundle_of_an_honest_log_recomputes_to_its_checkpoint(int size)
    {
        var server = Serve(await LogAsync(Entries(0, size)));

        var run = await PinnedAsync(server, "tiles");

        Assert.Equal(0, run.Exit);
        Assert.Equal(size, run.Json.GetProperty("treeSize").GetInt64());
        Assert.Equal(server.Requests.Count(r => r.StartsWith("/api/v1/log/tile/", StringComparison.Ordinal)), run.Json.GetProperty("resources").GetInt64());
        Assert.All(server.Log.Resources.Keys.Where(p => !p.Contains(".p/", StringComparison.Ordinal)), path => Assert.Contains($"/api/v1/log/{path}", server.Requests));
    }

    [Fact]
    public async Task Partial_tiles_the_log_dropped_are_read_from_the_full_tiles_that_replaced_them()
    {
        var log = await LogAsync(Entries(0, 100));
        var at100 = log.CheckpointNote!;
        await AppendAsync(log, Entries(100, 200));
        log.CheckpointNote = at100;   // auditing a checkpoint the log has since grown past
        log.Resources.Remove("tile/0/000.p/100");
        log.Resources.Remove("tile/entries/000.p/100");
        var server = Serve(log);

        var run = await PinnedAsync(server, "tiles");

        Assert.Equal(0, run.Exit);
        Assert.Equal(100, run.Json.GetProperty("treeSize").GetInt64());
        Assert.Contains("/api/v1/log/tile/0/000", server.Requests);
        Assert.Contains("/api/v1/log/tile/entries/000", server.Requests);
    }

    [Fact]
    public async Task A_log_that_grows_during_the_mirror_check_is_checked_again_at_its_new_size()
    {
        var log = await LogAsync(Entries(0, 600));
        var server = Serve(log);
        server.BeforeTile = async served =>
        {
            if (served == 2)
            {
                // The next batch lands, and the log no longer serves the partial tiles of size 600 (as the service does).
                await AppendAsync(log, Entries(600, 50));
                log.Resources.Remove("tile/entries/002.p/88");
                log.Resources.Remove("tile/0/002.p/88");
            }
        };

        var run = await PinnedAsync(server, "tiles");

        Assert.Equal(0, run.Exit);
        Assert.Equal(650, run.Json.GetProperty("treeSize").GetInt64());
        Assert.Contains("/api/v1/log/proofs/consistency?from=600&to=650", server.Requests);
    }

    [Theory]
    [InlineData("tile/0/000", 0)]
    [InlineData("tile/0/001", 8_191)]
    [InlineData("tile/0/002.p/88", 100)]
    [InlineData("tile/1/000.p/2", 40)]
    public async Task A_flipped_byte_in_a_tile_is_reported_with_its_path(string path, int offset)
    {
        var server = Serve(await LogAsync(Entries(0, 600)));
        server.Log.Resources[path][offset] ^= 0x01;

        var run = await PinnedAsync(server, "tiles");

        Assert.Equal(1, run.Exit);
        Assert.StartsWith($"{path}: hash {offset / 32} is not the hash of", Failure(run), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tile/entries/000", 5)]         // inside entry 0
    [InlineData("tile/entries/002.p/88", 200)]
    public async Task A_flipped_byte_in_an_entry_bundle_is_reported_with_its_path(string path, int offset)
    {
        var server = Serve(await LogAsync(Entries(0, 600)));
        server.Log.Resources[path][offset] ^= 0x01;

        var run = await PinnedAsync(server, "tiles");

        Assert.Equal(1, run.Exit);
        Assert.Contains(path, Failure(run), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entry_bundle_with_a_broken_length_prefix_is_reported_with_its_path()
    {
        var server = Serve(await LogAsync(Entries(0, 600)));
        server.Log.Resources["tile/entries/001"][0] = 0xFF;

        var run = await PinnedAsync(server, "tiles");

        Assert.Equal(1, run.Exit);
        Assert.Equal("tile/entries/001 does not hold exactly 256 length-prefixed entries", Failure(run));
    }

    [Fact]
    public async Task A_missing_or_short_tile_is_reported_with_its_path()
    {
        var server = Serve(await LogAsync(Entries(0, 600)));
        server.Log.Resources.Remove("tile/0/001");
        var missing = await PinnedAsync(server, "tiles");
        server.Log = await LogAsync(Entries(0, 600));
        server.Log.Resources["tile/1/000.p/2"] = server.Log.Resources["tile/1/000.p/2"][..32];
        var shorter = await PinnedAsync(server, "tiles");

        Assert.Equal((1, 1), (missing.Exit, shorter.Exit));
        Assert.Equal("tile/0/001 is missing (404), though the checkpoint covers it", Failure(missing));
        Assert.Equal("tile/1/000.p/2 has 32 bytes, not 64 (2 hashes)", Failure(shorter));
    }

    [Fact]
    public async Task A_checkpoint_the_log_signed_over_another_root_is_caught_by_the_mirror_check()
    {
        var server = Serve(await LogAsync(Entries(0, 600)));
        server.Log.CheckpointNote = Signer.Sign(new Checkpoint(Origin, 600, SHA256.HashData("not the tree"u8)).Text);

        var run = await PinnedAsync(server, "tiles");

        Assert.Equal(1, run.Exit);
        Assert.Contains($"the entries hash to root {RootOf(await LogAsync(Entries(0, 600)))} but the checkpoint says", Failure(run), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tiles_under_a_forged_checkpoint_are_not_checked()
    {
        var server = Serve(await LogAsync(Entries(0, 600)));
        server.Log.CheckpointNote = Impostor.Sign(BodyOf(server.Log.CheckpointNote!));

        var run = await PinnedAsync(server, "tiles");

        Assert.Equal(1, run.Exit);
        Assert.Contains("is not signed by the log key", Failure(run), StringComparison.Ordinal);
        Assert.DoesNotContain(server.Requests, r => r.Contains("/tile/", StringComparison.Ordinal));
    }

    private sealed record Run(int Exit, string Output, string Error)
    {
        public JsonElement Json => JsonDocument.Parse(Output).RootElement.Clone();
    }

    private static string Failure(Run run)
    {
        Assert.False(run.Json.GetProperty("verified").GetBoolean());
        return run.Json.GetProperty("failure").GetString()!;
    }

    private static async Task<Run> AuditAsync(LogHttpHandler server, params string[] args)
    {
        using var http = new HttpClient(server, disposeHandler: false);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await AuditCommand.RunAsync(["audit", .. args], http, output, error, default);
        return new Run(exit, output.ToString(), error.ToString());
    }

    /// <summary>The command against the served log with the note key pinned.</summary>
    private static Task<Run> PinnedAsync(LogHttpHandler server, string command, params string[] args) =>
        AuditAsync(server, [command, .. args, "--url", LogHttpHandler.BaseUrl, "--key", Signer.VerifierKey]);

    /// <summary>`audit receipt` with only the files and the pinned key: no service to ask.</summary>
    private static Task<Run> OfflineAsync(string receiptFile, string proofFile) =>
        AuditAsync(Serve(new InMemoryLog()), "receipt", receiptFile, "--proof", proofFile, "--key", Signer.VerifierKey);

    private static LogHttpHandler Serve(InMemoryLog log) => new(log, Signer.VerifierKey);

    private static List<PendingLeaf> Entries(int first, int count) =>
        Enumerable.Range(first, count).Select(i => new PendingLeaf($"{i:D6}", Encoding.UTF8.GetBytes($"{{\"kind\":\"test\",\"n\":{i}}}"))).ToList();

    private static List<PendingLeaf> Rewritten(List<PendingLeaf> leaves, int index)
    {
        leaves[index] = leaves[index] with { Entry = Encoding.UTF8.GetBytes("{\"kind\":\"test\",\"n\":\"back-dated\"}") };
        return leaves;
    }

    private static async Task<InMemoryLog> LogAsync(IEnumerable<PendingLeaf> leaves)
    {
        var log = new InMemoryLog();
        await AppendAsync(log, leaves);
        return log;
    }

    /// <summary>Sequences the leaves in the order given, in as many batches as the sequencer needs.</summary>
    private static async Task AppendAsync(InMemoryLog log, IEnumerable<PendingLeaf> leaves)
    {
        var sequencer = new LogSequencer(log, log, Signer, Origin);
        foreach (var batch in leaves.Chunk(LogSequencer.MaxBatch))
        {
            foreach (var leaf in batch)
            {
                await log.AddAsync(leaf, default);
            }

            await sequencer.SequenceBatchAsync(default);
        }
    }

    /// <summary>A log of 400 entries, a receipt at index 400, and the receipt file and its proof as the receipts API serves them.</summary>
    private async Task<(InMemoryLog Log, string ReceiptFile, string ProofFile)> ReceiptInLogAsync(bool batch = false)
    {
        var at = new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero).AddTicks(1_234_567);
        var verifier = new ReceiptVerifier("verifier:bank", "Bank", null);
        string jws;
        PendingLeaf leaf;
        if (batch)
        {
            var receipt = new BatchReceipt("https://issuer.test", BatchReceipt.NewId(), 1_795_903_718, at, verifier, "tender:1", new BatchSummary(1, 1, 0, 0), []);
            jws = receipt.Sign(ReceiptKey);
            leaf = LogEntries.ForBatchReceipt(new StoredBatchReceipt(receipt.Id, verifier.Id, jws, receipt));
        }
        else
        {
            var receipt = new Receipt("https://issuer.test", Receipt.NewId(), 1_795_903_718, "91653001MA0000015P", at, verifier, "account-opening",
                new ReceiptTarget("credit-code", "91653001MA0000015P", null, 1, null, null), true, [new VerificationReason(ReasonCodes.Verified, "ok")], null);
            jws = receipt.Sign(ReceiptKey);
            leaf = LogEntries.ForReceipt(new StoredReceipt(receipt.Id, verifier.Id, jws, receipt));
        }

        var log = await LogAsync([.. Entries(0, 400), leaf with { Id = "000400" }]);
        var hashes = await new TreeHashes(log, 401).ProofAsync(MerkleRanges.Inclusion(400, 401), default);
        var proof = new
        {
            leafIndex = 400,
            leafHash = Convert.ToBase64String(MerkleHash.Leaf(leaf.Entry)),
            treeSize = 401,
            hashes = hashes.Select(Convert.ToBase64String),
            entry = Convert.ToBase64String(leaf.Entry),
            checkpoint = log.CheckpointNote,
        };
        var receiptFile = FilePath("receipt.jwt");
        var proofFile = FilePath("proof.json");
        await File.WriteAllTextAsync(receiptFile, jws);
        await File.WriteAllTextAsync(proofFile, JsonSerializer.Serialize(proof));
        return (log, receiptFile, proofFile);
    }

    private static async Task EditProofAsync(string proofFile, Action<System.Text.Json.Nodes.JsonObject> edit)
    {
        var proof = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(proofFile))!.AsObject();
        edit(proof);
        await File.WriteAllTextAsync(proofFile, proof.ToJsonString());
    }

    private async Task<string> SaveAsync(InMemoryLog log, string name)
    {
        var file = FilePath(name);
        await File.WriteAllTextAsync(file, log.CheckpointNote);
        return file;
    }

    private string FilePath(string name) => Path.Combine(_files.FullName, name);

    private static string BodyOf(string note) => note[..(note.IndexOf("\n\n", StringComparison.Ordinal) + 1)];

    private static string RootOf(InMemoryLog log) =>
        Checkpoint.TryOpen(log.CheckpointNote!, Signer.Verifier, Origin, out var checkpoint) ? Convert.ToBase64String(checkpoint!.RootHash) : "";
}
