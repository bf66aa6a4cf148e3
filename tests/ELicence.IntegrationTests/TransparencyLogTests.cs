using System.Security.Cryptography;
using ELicence.Core.KeyManagement;
using ELicence.Core.Keys;
using ELicence.Core.Log;
using ELicence.Core.Receipts;
using ELicence.IntegrationTests.Documents;
using ELicence.Storage;
using ELicence.Storage.Log;
using ELicence.Tlog;

namespace ELicence.IntegrationTests;

/// <summary>
/// The transparency log over HTTP against Azurite: licence events and receipts reach it within seconds, the checkpoint verifies
/// under the published note key (with the core's verifier and with OpenSSL), proofs verify, a mirror rebuilt from plain tile
/// GETs matches the signed root, a crash at any write of a batch loses and duplicates nothing, and tampering with a tile, an
/// entry bundle or the checkpoint — or rewriting or truncating history with the log's own key — is detected.
/// Tests that change stored blobs hold the sequencer's lease (so the host's sequencer waits) and restore what they changed.
/// </summary>
[Collection(ServiceCollection.Name)]
public class TransparencyLogTests(ServiceFixture service)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Licence_events_reach_the_log_within_seconds_and_the_holder_sees_its_own_entries()
    {
        var code = await service.IssueAsync(Applications.Valid("阿图什市透明日志甲有限公司"));
        await service.ActAsync(code, "suspension", new { reasonCode = "annual-report-not-filed", reason = "未按期公示年度报告（日志）" });
        var holder = await service.CreateHolderKeyAsync(code);

        var items = await WaitForLicenceLogAsync(code, holder, count: 2);

        // Leaves of one batch are in shard order, not event order: each entry carries its event's sequence.
        items = [.. items.OrderBy(i => i.GetProperty("entry").GetProperty("sequence").GetInt32())];
        Assert.Equal(["issued", "suspended"], items.Select(i => i.GetProperty("entry").GetProperty("type").GetString()));
        Assert.All(items, i =>
        {
            Assert.Equal("licence-event", i.GetProperty("kind").GetString());
            Assert.Equal(code, i.GetProperty("entry").GetProperty("code").GetString());
            var raw = i.GetProperty("entry").GetRawText();
            Assert.DoesNotContain("reason", raw, StringComparison.Ordinal); // the public register's facts only, never reasons or names
            Assert.DoesNotContain("Test registrar", raw, StringComparison.Ordinal);
        });
        Assert.Equal("suspended", items[1].GetProperty("entry").GetProperty("status").GetString()!.ToLowerInvariant());
        Assert.Equal("key:" + service.RegistrarKey[4..20], items[1].GetProperty("entry").GetProperty("actor").GetString()); // who acted, by key id
    }

    [Fact]
    public async Task An_approved_revocation_reaches_the_log_naming_the_approver_and_the_proposer_by_id()
    {
        var code = await service.IssueAsync(Applications.Valid("阿图什市透明日志四眼有限公司"));
        await Documents.ServiceCalls.RevokeWithApprovalAsync(service, code, new { reason = "提交虚假材料取得登记（日志）" });
        var holder = await service.CreateHolderKeyAsync(code);

        var items = await WaitForLicenceLogAsync(code, holder, count: 2);

        var revoked = items.Select(i => i.GetProperty("entry")).Single(e => e.GetProperty("type").GetString() == "revoked");
        Assert.Equal("key:" + service.SupervisorKey[4..20], revoked.GetProperty("actor").GetString());
        Assert.Equal("key:" + service.RegistrarKey[4..20], revoked.GetProperty("proposer").GetString());
        Assert.DoesNotContain("Test supervisor", revoked.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_checkpoint_verifies_under_the_published_key_with_the_core_verifier_and_with_OpenSSL()
    {
        await service.IssueAsync(Applications.Valid("阿图什市透明日志乙有限公司"));
        await WaitForTreeSizeAsync(1);
        var vkey = await TextAsync("/api/v1/log/key");
        var note = await TextAsync("/api/v1/log/checkpoint");

        Assert.True(NoteVerifier.TryParse(vkey, out var verifier));
        Assert.True(Checkpoint.TryOpen(note, verifier!, verifier!.Name, out var checkpoint));
        Assert.True(checkpoint!.Size >= 1);
        Assert.True(await OpenSslVerifiesNoteAsync(vkey, note));
        // The note key is the log's own: no credential key of the JWKS has its public key.
        var jwks = await TextAsync("/.well-known/jwks.json");
        Assert.DoesNotContain(Base64UrlOf(verifier.PublicKey), jwks, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inclusion_proofs_of_a_licence_s_entries_verify_against_the_signed_checkpoint()
    {
        var code = await service.IssueAsync(Applications.Valid("阿图什市透明日志丙有限公司"));
        await service.ActAsync(code, "suspension", new { reasonCode = "annual-report-not-filed", reason = "未按期公示年度报告" });
        var items = await WaitForLicenceLogAsync(code, service.RegistrarKey, count: 2);
        var (_, checkpoint) = await VerifiedCheckpointAsync();

        foreach (var item in items)
        {
            var leafHash = item.GetProperty("leafHash").GetString()!;
            var (status, proof, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/log/proofs/inclusion?leaf={Uri.EscapeDataString(leafHash)}&size={checkpoint.Size}", null);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(item.GetProperty("leafIndex").GetInt64(), proof.GetProperty("leafIndex").GetInt64());
            Assert.True(MerkleVerification.VerifyInclusion(proof.GetProperty("leafIndex").GetInt64(), checkpoint.Size, Convert.FromBase64String(leafHash), Hashes(proof), checkpoint.RootHash));
            // The entry listed is the one hashed: SHA-256(0x00 ‖ entry), recomputed here.
            Assert.Equal(leafHash, Convert.ToBase64String(NaiveLeaf(Encoding.UTF8.GetBytes(item.GetProperty("entry").GetRawText()))));
        }
    }

    [Fact]
    public async Task The_log_mirrored_with_plain_GETs_of_its_tiles_rebuilds_the_signed_root()
    {
        await service.IssueAsync(Applications.Valid("阿图什市透明日志丁有限公司"));
        await WaitForTreeSizeAsync(1);
        var (_, checkpoint) = await VerifiedCheckpointAsync();

        var entries = await MirrorEntriesAsync(checkpoint.Size);

        Assert.Equal(checkpoint.Size, entries.Count);
        Assert.Equal(checkpoint.RootHash, NaiveRoot(entries.Select(NaiveLeaf).ToList()));
        var tile = await service.Http.GetAsync($"/api/v1/log/tile/0/000{PartialSuffix(0, 0, checkpoint.Size)}");
        Assert.Equal(HttpStatusCode.OK, tile.StatusCode);
        Assert.Equal("application/octet-stream", tile.Content.Headers.ContentType?.MediaType);
        Assert.Contains(checkpoint.Size >= TilePath.Width ? "immutable" : "max-age=10", tile.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consistency_between_an_older_and_a_newer_checkpoint_verifies_and_a_witness_accepts_it()
    {
        await service.IssueAsync(Applications.Valid("阿图什市透明日志戊有限公司"));
        var (verifier, older) = await VerifiedCheckpointAsync(minimumSize: 1);
        var witness = new LogWitness(verifier, verifier.Name);
        Assert.Equal(WitnessVerdict.Consistent, witness.Observe(await TextAsync("/api/v1/log/checkpoint"), []));

        await service.IssueAsync(Applications.Valid("阿图什市透明日志己有限公司"));
        var (_, newer) = await VerifiedCheckpointAsync(minimumSize: older.Size + 1);
        var newerNote = await TextAsync("/api/v1/log/checkpoint");
        var (status, body, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/log/proofs/consistency?from={older.Size}&to={newer.Size}", null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(newer.Size, body.GetProperty("treeSize").GetInt64());
        Assert.True(MerkleVerification.VerifyConsistency(older.Size, newer.Size, older.RootHash, newer.RootHash, Hashes(body)));
        Assert.True(Checkpoint.TryOpen(newerNote, verifier, verifier.Name, out var reread) && reread!.Size >= newer.Size);
        var (_, proofToReread, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/log/proofs/consistency?from={older.Size}&to={reread.Size}", null);
        Assert.Equal(WitnessVerdict.Consistent, witness.Observe(newerNote, Hashes(proofToReread)));
    }

    [Fact]
    public async Task A_receipt_leaf_s_proof_verifies_offline_with_only_the_published_key()
    {
        var code = await service.IssueAsync(Applications.Valid("阿图什市透明日志庚有限公司"));
        var (_, verification, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { creditCode = code });
        var receiptId = verification.GetProperty("receipt").GetProperty("id").GetString()!;
        // Until the receipt relay feeds receipts to the log, the test adds the leaf the way a producer does.
        var stored = await service.Services.GetRequiredService<IReceiptStore>().FindAsync(receiptId, default);
        await service.Services.GetRequiredService<IPendingLeafSink>().AddAsync(LogEntries.ForReceipt(stored!), default);

        var proof = await WaitForReceiptProofAsync(receiptId);
        var jws = await ReceiptJwsAsync(receiptId);
        var vkey = await TextAsync("/api/v1/log/key");

        // Offline: the vkey, the receipt JWS and the proof answer only.
        Assert.True(NoteVerifier.TryParse(vkey, out var verifier));
        Assert.True(Checkpoint.TryOpen(proof.GetProperty("checkpoint").GetString()!, verifier!, verifier!.Name, out var checkpoint));
        Assert.Equal(checkpoint!.Size, proof.GetProperty("treeSize").GetInt64());
        var entry = Convert.FromBase64String(proof.GetProperty("entry").GetString()!);
        using var parsed = JsonDocument.Parse(entry);
        Assert.Equal(Base64UrlOf(SHA256.HashData(Encoding.ASCII.GetBytes(jws))), parsed.RootElement.GetProperty("digest").GetString());
        Assert.Equal(receiptId, parsed.RootElement.GetProperty("receipt").GetString());
        Assert.Equal(Convert.ToBase64String(NaiveLeaf(entry)), proof.GetProperty("leafHash").GetString());
        Assert.True(MerkleVerification.VerifyInclusion(proof.GetProperty("leafIndex").GetInt64(), checkpoint.Size, NaiveLeaf(entry), Hashes(proof), checkpoint.RootHash));
        Assert.True(await OpenSslVerifiesNoteAsync(vkey, proof.GetProperty("checkpoint").GetString()!));
        // Another verifier is told the receipt does not exist.
        Assert.Equal(HttpStatusCode.NotFound, (await service.SendAsync(HttpMethod.Get, $"/api/v1/receipts/{receiptId}/proof", service.OtherVerifierKey)).Status);
    }

    [Fact]
    public async Task A_receipt_not_yet_sequenced_is_a_404_problem_with_Retry_After()
    {
        var code = await service.IssueAsync(Applications.Valid("阿图什市透明日志辛有限公司"));
        var (_, verification, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { creditCode = code });
        var receiptId = verification.GetProperty("receipt").GetProperty("id").GetString()!;

        var (status, problem, response) = await service.SendAsync(HttpMethod.Get, $"/api/v1/receipts/{receiptId}/proof", service.VerifierKey);

        if (status == HttpStatusCode.OK)
        {
            return; // a receipt relay sequenced it already: nothing pending to report
        }

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("not yet sequenced", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task Key_events_of_the_ring_reach_the_log()
    {
        // What the rotation timer does every five minutes: advance the ring (here: nothing due), which logs its key events.
        await service.Services.GetRequiredService<KeyAdministration>().RunScheduleAsync(default);
        var activeKid = (await service.Services.GetRequiredService<IKeyRingProvider>().GetAsync(default)).Keys.First(k => k.State == KeyState.Active).KeyId;

        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var (_, checkpoint) = await VerifiedCheckpointAsync();
            var events = (await MirrorEntriesAsync(checkpoint.Size))
                .Select(e => JsonDocument.Parse(e).RootElement)
                .Where(e => e.GetProperty("kind").GetString() == "key-event" && e.GetProperty("kid").GetString() == activeKid)
                .Select(e => e.GetProperty("state").GetString())
                .ToList();
            if (events.Contains("active"))
            {
                Assert.Equal(events.Distinct().Count(), events.Count); // logged again at every run, in the log once
                Assert.Contains("announced", events);
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "The active key's events did not reach the log within 60 s.");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task A_crash_at_any_write_of_a_batch_against_Azurite_loses_no_leaf_and_duplicates_none()
    {
        await using var held = await HoldSequencerAsync();
        var signer = await service.Services.GetRequiredService<LogNoteKey>().GetAsync(default);
        var tiles = service.Services.GetRequiredService<TileBlobStore>();
        var state = () => new SequencerState(service.Services.GetRequiredService<PendingLeafStore>(), service.Services.GetRequiredService<LogIndexStore>());
        var sink = service.Services.GetRequiredService<IPendingLeafSink>();
        var run = Guid.NewGuid().ToString("N");
        var before = (await new LogSequencer(tiles, state(), signer, signer.Name).SequenceBatchAsync(held.Token)).Size; // whatever was pending: out of the way

        var expected = new List<string>();
        for (var crashAt = 0; ; crashAt++)
        {
            var leaves = Enumerable.Range(0, 3).Select(i => new PendingLeaf($"test:{run}:{crashAt}:{i}", Encoding.UTF8.GetBytes($"{{\"kind\":\"test\",\"run\":\"{run}\",\"crash\":{crashAt},\"n\":{i}}}"))).ToList();
            foreach (var leaf in leaves)
            {
                await sink.AddAsync(leaf, default);
                expected.Add(Encoding.UTF8.GetString(leaf.Entry));
            }

            var faulty = new FailingLog(tiles, state(), crashAt);
            var crashed = false;
            try
            {
                await new LogSequencer(faulty, faulty, signer, signer.Name).SequenceBatchAsync(held.Token);
            }
            catch (IOException)
            {
                crashed = true;
            }

            var after = await new LogSequencer(tiles, state(), signer, signer.Name).SequenceBatchAsync(held.Token); // the next run
            foreach (var leaf in leaves)
            {
                var index = await service.Services.GetRequiredService<LogIndexStore>().FindIndexAsync(leaf.Id, default);
                Assert.True(index < after.Size, $"crash at write {crashAt}: {leaf.Id} is not under the checkpoint");
            }

            if (!crashed)
            {
                // Every write of a batch has had its crash: tiles (hashes and entries), indexes, checkpoint, removals.
                Assert.True(crashAt >= 5, $"a batch made only {crashAt} writes");
                break;
            }
        }

        var (_, checkpoint) = await VerifiedCheckpointAsync();
        var mirrored = (await MirrorEntriesAsync(checkpoint.Size)).Select(e => Encoding.UTF8.GetString(e)).Where(e => e.Contains(run, StringComparison.Ordinal)).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), mirrored.Order(StringComparer.Ordinal)); // each exactly once
        var (_, consistency, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/log/proofs/consistency?from={before}&to={checkpoint.Size}", null);
        var beforeRoot = await new TreeHashes(tiles, before, checkpoint.Size).RangeAsync(0, before, default);
        Assert.True(MerkleVerification.VerifyConsistency(before, checkpoint.Size, beforeRoot, checkpoint.RootHash, Hashes(consistency)));
        Assert.Equal(checkpoint.RootHash, NaiveRoot((await MirrorEntriesAsync(checkpoint.Size)).Select(NaiveLeaf).ToList()));
    }

    [Fact]
    public async Task A_tampered_tile_makes_the_proofs_it_serves_fail_verification()
    {
        await service.IssueAsync(Applications.Valid("阿图什市透明日志壬有限公司"));
        await service.IssueAsync(); // two licences: a tree of at least two leaves even when this test runs first
        await WaitForTreeSizeAsync(2);
        await using var held = await HoldSequencerAsync();
        var (_, checkpoint) = await VerifiedCheckpointAsync();
        var leaf1 = NaiveLeaf((await MirrorEntriesAsync(checkpoint.Size))[1]);
        var proofPath = $"/api/v1/log/proofs/inclusion?leaf={Uri.EscapeDataString(Convert.ToBase64String(leaf1))}&size={checkpoint.Size}";
        var honest = (await service.SendAsync(HttpMethod.Get, proofPath, null)).Body;
        Assert.True(MerkleVerification.VerifyInclusion(1, checkpoint.Size, leaf1, Hashes(honest), checkpoint.RootHash));

        // Leaf 0's hash in its level-0 tile is leaf 1's first proof hash.
        await TamperAsync(TilePath.Tile(0, 0, TilePath.WidthAt(0, 0, checkpoint.Size)), bytes => bytes[0] ^= 0x01, async () =>
        {
            var (status, tampered, _) = await service.SendAsync(HttpMethod.Get, proofPath, null);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.False(MerkleVerification.VerifyInclusion(1, checkpoint.Size, leaf1, Hashes(tampered), checkpoint.RootHash));
        });
    }

    [Fact]
    public async Task A_tampered_checkpoint_fails_every_signature_check_and_the_witness()
    {
        await service.IssueAsync(Applications.Valid("阿图什市透明日志癸有限公司"));
        await WaitForTreeSizeAsync(1);
        await using var held = await HoldSequencerAsync();
        var (verifier, _) = await VerifiedCheckpointAsync();
        var vkey = await TextAsync("/api/v1/log/key");

        // One bit of the root hash (third line) flipped.
        await TamperAsync(LogIndexStore.CheckpointBlob, bytes => bytes[Array.IndexOf(bytes, (byte)'\n', Array.IndexOf(bytes, (byte)'\n') + 1) + 1] ^= 0x01, async () =>
        {
            var note = await TextAsync("/api/v1/log/checkpoint");
            Assert.False(Checkpoint.TryOpen(note, verifier, verifier.Name, out _));
            Assert.False(await OpenSslVerifiesNoteAsync(vkey, note));
            Assert.Equal(WitnessVerdict.BadSignature, new LogWitness(verifier, verifier.Name).Observe(note, []));
        }, container: StorageNames.LogContainer);
    }

    [Fact]
    public async Task A_tampered_entry_bundle_no_longer_rebuilds_the_signed_root_and_its_leaf_is_not_in_the_log()
    {
        var code = await service.IssueAsync(Applications.Valid("阿图什市透明日志子有限公司"));
        var item = (await WaitForLicenceLogAsync(code, service.RegistrarKey, count: 1))[0];
        await using var held = await HoldSequencerAsync();
        var (_, checkpoint) = await VerifiedCheckpointAsync();
        var index = item.GetProperty("leafIndex").GetInt64();
        var bundle = TilePath.EntryBundle(index / TilePath.Width, TilePath.WidthAt(0, index / TilePath.Width, checkpoint.Size));
        var original = Encoding.UTF8.GetBytes(item.GetProperty("entry").GetRawText());

        // The licence's entry is given another type of the same length, so the bundle still decodes.
        await TamperAsync(bundle, bytes => Replace(bytes, original, Encoding.UTF8.GetBytes(item.GetProperty("entry").GetRawText().Replace("\"type\":\"issued\"", "\"type\":\"forged\"", StringComparison.Ordinal))), async () =>
        {
            Assert.NotEqual(checkpoint.RootHash, NaiveRoot((await MirrorEntriesAsync(checkpoint.Size)).Select(NaiveLeaf).ToList()));
            var listed = (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/log", service.RegistrarKey)).Body.GetProperty("items")[0];
            Assert.Equal("forged", listed.GetProperty("entry").GetProperty("type").GetString());
            var (status, _, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/log/proofs/inclusion?leaf={Uri.EscapeDataString(listed.GetProperty("leafHash").GetString()!)}&size={checkpoint.Size}", null);
            Assert.Equal(HttpStatusCode.NotFound, status); // the forged entry's hash is in no tile the checkpoint signs
        });
    }

    [Fact]
    public async Task History_rewritten_and_re_signed_with_the_log_key_is_caught_by_a_witness()
    {
        await service.IssueAsync(Applications.Valid("阿图什市透明日志丑有限公司"));
        await service.IssueAsync(); // two licences: a tree of at least two leaves even when this test runs first
        await WaitForTreeSizeAsync(2);
        await using var held = await HoldSequencerAsync();
        var (witness, verifier, checkpoint, signer) = await WitnessOfTheCurrentCheckpointAsync();

        // The operator rewrites leaf 0, rebuilds every tile and signs a new checkpoint of the same size with the real key.
        var entries = await MirrorEntriesAsync(checkpoint.Size);
        entries[0] = Encoding.UTF8.GetBytes("{\"kind\":\"forged\"}");
        var rebuilt = new MemoryTiles();
        var appended = await TileAppender.AppendAsync(rebuilt, 0, entries, default);
        var forgedNote = signer.Sign(new Checkpoint(signer.Name, appended.TreeSize, appended.RootHash).Text);
        var blobs = appended.Resources.ToDictionary(r => r.Key, r => (Func<byte[], byte[]>)(_ => r.Value));
        blobs[LogIndexStore.CheckpointBlob] = _ => Encoding.UTF8.GetBytes(forgedNote);

        await TamperManyAsync(blobs, async () =>
        {
            var note = await TextAsync("/api/v1/log/checkpoint");
            Assert.True(Checkpoint.TryOpen(note, verifier, verifier.Name, out _)); // validly signed: only history shows the fork
            var (_, proof, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/log/proofs/consistency?from={checkpoint.Size}&to={appended.TreeSize}", null);
            Assert.Equal(WitnessVerdict.Inconsistent, witness.Observe(note, Hashes(proof)));
        });
    }

    [Fact]
    public async Task A_truncated_tree_signed_with_the_log_key_is_caught_by_a_witness()
    {
        await service.IssueAsync(Applications.Valid("阿图什市透明日志寅有限公司"));
        await service.IssueAsync(); // two licences: a tree of at least two leaves even when this test runs first
        await WaitForTreeSizeAsync(2);
        await using var held = await HoldSequencerAsync();
        var (witness, verifier, checkpoint, signer) = await WitnessOfTheCurrentCheckpointAsync();
        var shorter = checkpoint.Size - 1;
        var root = await new TreeHashes(service.Services.GetRequiredService<TileBlobStore>(), shorter, checkpoint.Size).RangeAsync(0, shorter, default);

        await TamperAsync(LogIndexStore.CheckpointBlob, _ => Encoding.UTF8.GetBytes(signer.Sign(new Checkpoint(signer.Name, shorter, root).Text)), async () =>
        {
            var note = await TextAsync("/api/v1/log/checkpoint");
            Assert.Equal(WitnessVerdict.Truncated, witness.Observe(note, []));
            Assert.Equal(checkpoint.Size, witness.Latest!.Size);
        });
    }

    [Theory]
    [InlineData("/api/v1/log/proofs/inclusion?leaf=not-base64!&size=1", "leaf")]
    [InlineData("/api/v1/log/proofs/inclusion?leaf=AAAA&size=1", "leaf")]
    [InlineData("/api/v1/log/proofs/inclusion?size=1", "leaf")]
    [InlineData("/api/v1/log/proofs/inclusion?leaf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=&size=0", "size")]
    [InlineData("/api/v1/log/proofs/inclusion?leaf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=&size=-1", "size")]
    [InlineData("/api/v1/log/proofs/inclusion?leaf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=&size=99999999999999999999", "size")]
    [InlineData("/api/v1/log/proofs/inclusion?leaf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=&size=9000000000000000000", "size")]
    [InlineData("/api/v1/log/proofs/inclusion?leaf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=&size=1&size=2", "size")]
    [InlineData("/api/v1/log/proofs/consistency?from=2&to=1", "from")]
    [InlineData("/api/v1/log/proofs/consistency?from=1&to=9000000000000000000", "to")]
    [InlineData("/api/v1/log/proofs/consistency?from=x&to=1", "from")]
    [InlineData("/api/v1/log/proofs/consistency?from=1", "to")]
    [InlineData("/api/v1/log/proofs/consistency?from=+1&to=1", "from")]
    [InlineData("/api/v1/log/tile/0/1", "path")]
    [InlineData("/api/v1/log/tile/0/000.p/256", "path")]
    [InlineData("/api/v1/log/tile/0/000.p/0", "path")]
    [InlineData("/api/v1/log/tile/64/000", "path")]
    [InlineData("/api/v1/log/tile/0/x000/001", "path")]
    [InlineData("/api/v1/log/tile/entries/..%2F..%2Fcheckpoint", "path")]
    [InlineData("/api/v1/log/tile/checkpoint", "path")]
    public async Task Bad_log_parameters_are_400_problems_naming_the_parameter(string path, string field)
    {
        var (status, problem, response) = await service.SendAsync(HttpMethod.Get, path, null);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, problem.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("91653001MA7XKQ3P2X", "", "code")]
    [InlineData("not-a-code", "", "code")]
    [InlineData(null, "?after=x", "after")]
    [InlineData(null, "?after=-1", "after")]
    [InlineData(null, "?after=1&after=2", "after")]
    public async Task Bad_licence_log_parameters_are_400_problems_naming_them(string? code, string query, string field)
    {
        code ??= await service.IssueAsync();

        var (status, problem, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/log{query}", service.RegistrarKey);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, problem.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private async Task<string> TextAsync(string path)
    {
        using var response = await service.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<(NoteVerifier Verifier, Checkpoint Checkpoint)> VerifiedCheckpointAsync(long minimumSize = 0)
    {
        Assert.True(NoteVerifier.TryParse(await TextAsync("/api/v1/log/key"), out var verifier));
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            Assert.True(Checkpoint.TryOpen(await TextAsync("/api/v1/log/checkpoint"), verifier!, verifier!.Name, out var checkpoint));
            if (checkpoint!.Size >= minimumSize)
            {
                return (verifier, checkpoint);
            }

            Assert.True(DateTime.UtcNow < deadline, $"The log did not reach {minimumSize} leaves within 60 s.");
            await Task.Delay(100);
        }
    }

    /// <summary>A witness that has accepted the current checkpoint, and the log's own signer (what an operator rewriting history would hold).</summary>
    private async Task<(LogWitness Witness, NoteVerifier Verifier, Checkpoint Checkpoint, NoteSigner Signer)> WitnessOfTheCurrentCheckpointAsync()
    {
        var (verifier, checkpoint) = await VerifiedCheckpointAsync();
        var witness = new LogWitness(verifier, verifier.Name);
        Assert.Equal(WitnessVerdict.Consistent, witness.Observe(await TextAsync("/api/v1/log/checkpoint"), []));
        return (witness, verifier, checkpoint, await service.Services.GetRequiredService<LogNoteKey>().GetAsync(default));
    }

    private Task<(NoteVerifier Verifier, Checkpoint Checkpoint)> WaitForTreeSizeAsync(long size) => VerifiedCheckpointAsync(size);

    private async Task<List<JsonElement>> WaitForLicenceLogAsync(string code, string key, int count)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var (status, body, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/log", key);
            Assert.Equal(HttpStatusCode.OK, status);
            var items = body.GetProperty("items").EnumerateArray().ToList();
            if (items.Count >= count)
            {
                return items;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{code} had {items.Count} of {count} log entries after 60 s.");
            await Task.Delay(100);
        }
    }

    private async Task<JsonElement> WaitForReceiptProofAsync(string receiptId)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var (status, body, response) = await service.SendAsync(HttpMethod.Get, $"/api/v1/receipts/{receiptId}/proof", service.VerifierKey);
            if (status == HttpStatusCode.OK)
            {
                return body;
            }

            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.True(DateTime.UtcNow < deadline, $"Receipt {receiptId} was not sequenced within 60 s.");
            await Task.Delay(100);
        }
    }

    private async Task<string> ReceiptJwsAsync(string receiptId)
    {
        using var request = service.Request(HttpMethod.Get, $"/api/v1/receipts/{receiptId}", service.VerifierKey);
        request.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("application/jwt"));
        using var response = await service.Http.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Every entry of the tree, fetched as a mirror would: the entry bundles over plain HTTP GETs.</summary>
    private async Task<List<byte[]>> MirrorEntriesAsync(long size)
    {
        var entries = new List<byte[]>();
        for (long bundle = 0; bundle * TilePath.Width < size; bundle++)
        {
            using var response = await service.Http.GetAsync("/api/v1/log/" + TilePath.EntryBundle(bundle, TilePath.WidthAt(0, bundle, size)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(EntryBundle.TryDecode(await response.Content.ReadAsByteArrayAsync(), out var decoded));
            entries.AddRange(decoded);
        }

        return entries;
    }

    private static string PartialSuffix(int level, long index, long size) =>
        TilePath.WidthAt(level, index, size) is var w && w < TilePath.Width ? $".p/{w}" : "";

    private async Task<SequencerLease.HeldLease> HoldSequencerAsync()
    {
        var lease = service.Services.GetRequiredService<SequencerLease>();
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            if (await lease.TryAcquireAsync(default) is { } held)
            {
                return held;
            }

            Assert.True(DateTime.UtcNow < deadline, "The sequencer lease stayed taken for 60 s.");
            await Task.Delay(50);
        }
    }

    private Task TamperAsync(string blob, Action<byte[]> change, Func<Task> assert, string container = StorageNames.LogContainer) =>
        TamperManyAsync(new Dictionary<string, Func<byte[], byte[]>> { [blob] = b => { var copy = b.ToArray(); change(copy); return copy; } }, assert, container);

    private Task TamperAsync(string blob, Func<byte[], byte[]> change, Func<Task> assert) =>
        TamperManyAsync(new Dictionary<string, Func<byte[], byte[]>> { [blob] = change }, assert);

    /// <summary>Changes blobs of the log container, runs the assertions, and puts every original back (or removes what was new).</summary>
    private async Task TamperManyAsync(IReadOnlyDictionary<string, Func<byte[], byte[]>> changes, Func<Task> assert, string container = StorageNames.LogContainer)
    {
        var blobs = service.Storage.Container(container);
        var originals = new Dictionary<string, byte[]?>();
        foreach (var (name, change) in changes)
        {
            var client = blobs.GetBlobClient(name);
            originals[name] = await client.ExistsAsync() ? (await client.DownloadContentAsync()).Value.Content.ToArray() : null;
            await client.UploadAsync(BinaryData.FromBytes(change(originals[name] ?? [])), overwrite: true);
        }

        try
        {
            await assert();
        }
        finally
        {
            foreach (var (name, original) in originals)
            {
                if (original is null)
                {
                    await blobs.GetBlobClient(name).DeleteIfExistsAsync();
                }
                else
                {
                    await blobs.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(original), overwrite: true);
                }
            }
        }
    }

    private static byte[] Replace(byte[] bytes, byte[] find, byte[] replacement)
    {
        Assert.Equal(find.Length, replacement.Length);
        var at = bytes.AsSpan().IndexOf(find);
        Assert.True(at >= 0, "the entry is not in its bundle");
        var copy = bytes.ToArray();
        replacement.CopyTo(copy, at);
        return copy;
    }

    private static List<byte[]> Hashes(JsonElement proof) => [.. proof.GetProperty("hashes").EnumerateArray().Select(h => Convert.FromBase64String(h.GetString()!))];

    private static string Base64UrlOf(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    // RFC 9162 §2.1.1 written out again here, independent of the core's implementation.
    private static byte[] NaiveLeaf(byte[] entry) => SHA256.HashData([0x00, .. entry]);

    private static byte[] NaiveRoot(List<byte[]> leaves)
    {
        if (leaves.Count == 1)
        {
            return leaves[0];
        }

        var k = 1;
        while (k * 2 < leaves.Count)
        {
            k *= 2;
        }

        return SHA256.HashData([0x01, .. NaiveRoot(leaves.Take(k).ToList()), .. NaiveRoot(leaves.Skip(k).ToList())]);
    }

    /// <summary>
    /// Verifies a signed note with the OpenSSL CLI from the vkey text alone: key ID and key from the vkey, the signature line
    /// of that key, Ed25519 over the note text (c2sp.org/signed-note), none of the service's code involved.
    /// </summary>
    private static async Task<bool> OpenSslVerifiesNoteAsync(string vkey, string note)
    {
        var parts = vkey.Split('+', 3);
        var key = Convert.FromBase64String(parts[2]);
        Assert.Equal(0x01, key[0]);
        var keyId = SHA256.HashData([.. Encoding.UTF8.GetBytes(parts[0]), 0x0A, .. key])[..4];
        Assert.Equal(parts[1], Convert.ToHexStringLower(keyId));
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        var text = note[..(split + 1)];
        var line = note[(split + 2)..].TrimEnd('\n').Split('\n').Single(l => l.StartsWith($"\u2014 {parts[0]} ", StringComparison.Ordinal));
        var blob = Convert.FromBase64String(line[(line.LastIndexOf(' ') + 1)..]);
        if (!blob.AsSpan(0, 4).SequenceEqual(keyId))
        {
            return false;
        }

        var dir = Directory.CreateTempSubdirectory("elicence-note");
        try
        {
            var pem = Path.Combine(dir.FullName, "log.pem");
            var message = Path.Combine(dir.FullName, "note.txt");
            var signature = Path.Combine(dir.FullName, "note.sig");
            await File.WriteAllTextAsync(pem, PemEncoding.WriteString("PUBLIC KEY", [.. Convert.FromHexString("302a300506032b6570032100"), .. key[1..]]));
            await File.WriteAllBytesAsync(message, Encoding.UTF8.GetBytes(text));
            await File.WriteAllBytesAsync(signature, blob[4..]);
            var (exit, output, error) = await ExternalProcess.RunAsync("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", pem, "-rawin", "-in", message, "-sigfile", signature]);
            return exit == 0 && (output + error).Contains("Signature Verified Successfully", StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The real stores with a crash switch: the write numbered <c>crashAt</c> (from 0) throws instead of writing.</summary>
    private sealed class FailingLog(ITileStore tiles, ILogState state, int crashAt) : ITileStore, ILogState
    {
        public int Writes { get; private set; }

        public Task<byte[]?> ReadAsync(string path, CancellationToken cancellationToken) => tiles.ReadAsync(path, cancellationToken);

        public Task WriteAsync(string path, byte[] content, CancellationToken cancellationToken) => Write(() => tiles.WriteAsync(path, content, cancellationToken));

        public Task<string?> ReadCheckpointAsync(CancellationToken cancellationToken) => state.ReadCheckpointAsync(cancellationToken);

        public Task WriteCheckpointAsync(string signedCheckpoint, CancellationToken cancellationToken) => Write(() => state.WriteCheckpointAsync(signedCheckpoint, cancellationToken));

        public Task<IReadOnlyList<PendingLeaf>> ReadPendingAsync(int max, CancellationToken cancellationToken) => state.ReadPendingAsync(max, cancellationToken);

        public Task<long?> FindIndexAsync(string id, CancellationToken cancellationToken) => state.FindIndexAsync(id, cancellationToken);

        public Task RecordIndexesAsync(IReadOnlyList<SequencedLeaf> leaves, CancellationToken cancellationToken) => Write(() => state.RecordIndexesAsync(leaves, cancellationToken));

        public Task RemovePendingAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) => Write(() => state.RemovePendingAsync(ids, cancellationToken));

        private Task Write(Func<Task> write)
        {
            if (Writes == crashAt)
            {
                throw new IOException($"simulated crash at write {crashAt}");
            }

            Writes++;
            return write();
        }
    }

    private sealed class MemoryTiles : ITileStore
    {
        private readonly Dictionary<string, byte[]> _resources = new(StringComparer.Ordinal);

        public Task<byte[]?> ReadAsync(string path, CancellationToken cancellationToken) => Task.FromResult(_resources.GetValueOrDefault(path));

        public Task WriteAsync(string path, byte[] content, CancellationToken cancellationToken)
        {
            _resources[path] = content;
            return Task.CompletedTask;
        }
    }
}
