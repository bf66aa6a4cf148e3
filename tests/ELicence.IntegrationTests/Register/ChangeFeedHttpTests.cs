using System.Buffers.Text;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace ELicence.IntegrationTests.Register;

/// <summary>
/// A compliance system following the change feed, and a tendering platform rebuilding the register from a snapshot and
/// deltas, over HTTP against Azurite. One test drives the whole story, since the feed is one total order that every
/// step extends.
/// </summary>
[Collection(RegisterCollection.Name)]
public class ChangeFeedHttpTests(RegisterFixture service)
{
    [Fact]
    public async Task The_feed_has_every_public_change_once_in_order_and_snapshot_plus_deltas_equal_the_live_register()
    {
        // A mixed workload: issuance, an amendment, a suspension and reinstatement, a revocation, a permit (not public).
        var codes = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            codes.Add(await service.IssueAsync(Applications.Valid($"阿图什市变更{i}号商贸有限公司")));
        }

        await service.ActAsync(codes[0], "amendments", new { name = "阿图什市变更零号集团有限公司", registeredCapital = new { amount = 2_000_000, currency = "CNY" }, reason = "更名增资" });
        await service.ActAsync(codes[1], "suspension", new { reasonCode = "false-information", reason = "年报信息隐瞒真实情况" });
        foreach (var code in codes)
        {
            await service.DeliverAsync(code);
        }

        // A compliance system reads it all in pages of two, in JSON Lines.
        var (all, cursor) = await ReadAllAsync(0, jsonLines: true);
        AssertContiguousAndOncePerEvent(all);
        var amendment = all.Single(e => e.GetProperty("type").GetString() == "amended" && e.GetProperty("creditCode").GetString() == codes[0]);
        Assert.Equal(["name"], amendment.GetProperty("changes").EnumerateArray().Select(c => c.GetString()));
        Assert.DoesNotContain("registeredCapital", string.Join("\n", all.Select(e => e.GetRawText())), StringComparison.Ordinal);

        // The first delta (hourly), then more changes, then the daily snapshot and another delta.
        await service.AdvanceUntilAsync(TimeSpan.FromHours(1), async () => await DeltasCoverAsync(cursor));
        await service.ActAsync(codes[1], "reinstatement", new { reason = "已更正年报" });
        await service.ActAsync(codes[2], "revocation", new { reason = "提交虚假材料取得登记" });
        codes.Add(await service.IssueAsync(Applications.Valid("阿图什市新设商贸有限公司")));
        foreach (var code in codes)
        {
            await service.DeliverAsync(code);
        }

        // It restarts from its cursor: exactly the new changes, in order.
        var (rest, _) = await ReadAllAsync(cursor, jsonLines: false);
        Assert.Equal(Enumerable.Range((int)cursor + 1, rest.Count).Select(i => (long)i), rest.Select(e => e.GetProperty("sequence").GetInt64()));
        // The total order is the feed's: per licence it is the history's, across licences the order the relay delivered them.
        Assert.Equal(["issued", "reinstated", "revoked"], rest.Where(e => codes.Contains(e.GetProperty("creditCode").GetString()!)).Select(e => e.GetProperty("type").GetString()).Order());

        // Delivering everything again changes nothing: exactly once.
        foreach (var code in codes)
        {
            await service.RedeliverAsync(code);
        }

        var (again, last) = await ReadAllAsync(0, jsonLines: true);
        Assert.Equal(all.Count + rest.Count, again.Count);
        AssertContiguousAndOncePerEvent(again);

        var now = service.Clock.GetUtcNow();
        var nextSnapshot = new DateTimeOffset(now.Year, now.Month, now.Day, 16, 30, 0, TimeSpan.Zero);
        nextSnapshot = nextSnapshot > now ? nextSnapshot : nextSnapshot.AddDays(1);
        await service.AdvanceUntilAsync(nextSnapshot - now, async () =>
            (await FilesAsync()).GetProperty("snapshots").EnumerateArray().Any(f => f.GetProperty("lastSequence").GetInt64() >= last));
        await service.ActAsync(codes[0], "suspension", new { reasonCode = "unreachable-at-domicile", reason = "通过登记的住所无法联系" });
        await service.DeliverAsync(codes[0]);
        var (_, head) = await ReadAllAsync(0, jsonLines: false);
        await service.AdvanceUntilAsync(TimeSpan.FromHours(1), async () => await DeltasCoverAsync(head));

        // The tendering platform: the latest snapshot, then every delta after it, each checked against its signed manifest.
        var files = await FilesAsync();
        var snapshot = files.GetProperty("latestSnapshot");
        var register = (await DownloadAsync(snapshot)).Select(r => r).ToDictionary(r => r.GetProperty("creditCode").GetString()!);
        foreach (var delta in files.GetProperty("deltas").EnumerateArray().Where(d => d.GetProperty("lastSequence").GetInt64() > snapshot.GetProperty("lastSequence").GetInt64()))
        {
            foreach (var entry in (await DownloadAsync(delta)).Where(e => e.GetProperty("sequence").GetInt64() > snapshot.GetProperty("lastSequence").GetInt64()))
            {
                register[entry.GetProperty("creditCode").GetString()!] = entry.GetProperty("record");
            }
        }

        // Every licence of the live register (this collection's other tests' too) is in the rebuilt one, as it is now.
        Assert.Subset(register.Keys.ToHashSet(), codes.ToHashSet());
        foreach (var code in register.Keys)
        {
            var live = (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}", service.RegistrarKey)).Body;
            var record = register[code];
            Assert.Equal(live.GetProperty("name").GetString(), record.GetProperty("name").GetString());
            Assert.Equal(live.GetProperty("status").GetString(), record.GetProperty("status").GetString());
            Assert.Equal(live.GetProperty("version").GetInt32(), record.GetProperty("version").GetInt32());
            Assert.Equal(live.GetProperty("legalRepresentative").GetString(), record.GetProperty("legalRepresentative").GetString());
            Assert.False(record.TryGetProperty("registeredCapital", out _));
        }

        Assert.Equal("suspended", register[codes[0]].GetProperty("status").GetString());
        Assert.Equal("revoked", register[codes[2]].GetProperty("status").GetString());
        Assert.Contains("阿图什市变更0号商贸有限公司", register[codes[0]].GetProperty("formerNames").EnumerateArray().Select(n => n.GetString()));
    }

    [Fact]
    public async Task A_change_committed_just_before_a_crash_reaches_the_feed_once_through_the_sweep()
    {
        var code = await service.IssueAsync(Applications.Valid("阿图什市断电商贸有限公司"));
        await service.DeliverAsync(code);
        var (before, cursor) = await ReadAllAsync(0, jsonLines: false);

        service.LoseEventNudges = true;
        try
        {
            await service.ActAsync(code, "suspension", new { reasonCode = "false-information", reason = "年报信息隐瞒真实情况" });
            Assert.Equal(1, await service.OutboxRowsAsync(code)); // committed, pending, no message: the process "crashed" here
            Assert.Empty((await ReadAllAsync(cursor, jsonLines: false)).Entries);
        }
        finally
        {
            service.LoseEventNudges = false;
        }

        await service.AdvanceUntilAsync(TimeSpan.FromMinutes(1), async () => await service.OutboxRowsAsync(code) == 0);

        var (after, _) = await ReadAllAsync(cursor, jsonLines: false);
        var suspended = Assert.Single(after, e => e.GetProperty("creditCode").GetString() == code);
        Assert.Equal("suspended", suspended.GetProperty("type").GetString());
        Assert.Equal(2, suspended.GetProperty("eventSequence").GetInt32());
        AssertContiguousAndOncePerEvent([.. before, .. after]);
    }

    [Fact]
    public async Task A_long_poll_returns_the_change_committed_while_it_waits()
    {
        var (_, cursor) = await ReadAllAsync(0, jsonLines: false);
        var poll = service.SendAsync(HttpMethod.Get, $"/api/v1/register/changes?after={cursor}&wait=30", service.VerifierKey);

        var code = await service.IssueAsync(Applications.Valid("阿图什市长轮询商贸有限公司"));
        await service.DeliverAsync(code);

        var (status, body, _) = await poll;
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(body.GetProperty("changes").EnumerateArray(), e => e.GetProperty("creditCode").GetString() == code);
    }

    [Theory]
    [InlineData("after=abc", "after")]
    [InlineData("after=-1", "after")]
    [InlineData("after=999999999", "after")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=0", "limit")]
    [InlineData("wait=31", "wait")]
    public async Task Bad_cursors_and_limits_are_a_problem_naming_the_parameter(string query, string field)
    {
        var (status, body, _) = await service.SendAsync(HttpMethod.Get, "/api/v1/register/changes?" + query, service.VerifierKey);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, body.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("..%2F..%2Fsigning-keys%2Fkey-ring.json")]
    [InlineData("locks%2Fchange-feed-writer")]
    [InlineData("snapshot-1.jsonl.gz")]
    public async Task Only_published_file_names_can_be_downloaded(string name)
    {
        var (status, _, _) = await service.SendAsync(HttpMethod.Get, "/api/v1/register/files/" + name, null);

        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    private static void AssertContiguousAndOncePerEvent(List<JsonElement> entries)
    {
        Assert.Equal(Enumerable.Range(1, entries.Count).Select(i => (long)i), entries.Select(e => e.GetProperty("sequence").GetInt64()));
        var perLicence = entries.GroupBy(e => e.GetProperty("creditCode").GetString()).ToList();
        Assert.All(perLicence, g =>
        {
            var events = g.Select(e => e.GetProperty("eventSequence").GetInt32()).ToList();
            Assert.Equal(events.Order().Distinct(), events); // in each licence's own order, none twice
        });
    }

    private async Task<(List<JsonElement> Entries, long Cursor)> ReadAllAsync(long from, bool jsonLines)
    {
        var entries = new List<JsonElement>();
        var cursor = from;
        while (true)
        {
            using var request = service.Request(HttpMethod.Get, $"/api/v1/register/changes?after={cursor}&limit=2", service.VerifierKey);
            if (jsonLines)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/jsonl"));
            }

            var response = await service.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            List<JsonElement> page;
            if (jsonLines)
            {
                Assert.Equal("application/jsonl", response.Content.Headers.ContentType?.MediaType);
                page = [.. (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
            }
            else
            {
                page = [.. (await Json.ReadAsync(response)).GetProperty("changes").EnumerateArray()];
            }

            var next = long.Parse(response.Headers.GetValues("ELicence-Cursor").Single(), CultureInfo.InvariantCulture);
            if (page.Count == 0)
            {
                Assert.Equal(cursor, next);
                return (entries, cursor);
            }

            entries.AddRange(page);
            Assert.Equal(page[^1].GetProperty("sequence").GetInt64(), next);
            cursor = next;
        }
    }

    private async Task<bool> DeltasCoverAsync(long sequence) =>
        (await FilesAsync()).GetProperty("deltas").EnumerateArray().Any(d => d.GetProperty("lastSequence").GetInt64() >= sequence);

    private async Task<JsonElement> FilesAsync()
    {
        var (status, body, _) = await service.SendAsync(HttpMethod.Get, "/api/v1/register/snapshots", null);
        Assert.Equal(HttpStatusCode.OK, status);
        return body;
    }

    /// <summary>Downloads a file and checks it against its manifest: the JWS verifies with the service's JWKS, size and SHA-256 match.</summary>
    private async Task<List<JsonElement>> DownloadAsync(JsonElement file)
    {
        var response = await service.Http.GetAsync(file.GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("immutable", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        var manifest = await VerifiedPayloadAsync(file.GetProperty("manifest").GetString()!);
        Assert.Equal(bytes.Length, manifest.GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), manifest.GetProperty("sha256").GetString());

        using var reader = new StreamReader(new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress));
        var lines = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.Equal(manifest.GetProperty("records").GetInt64(), lines.Count);
        return lines;
    }

    private async Task<JsonElement> VerifiedPayloadAsync(string jws)
    {
        var jwks = (await service.SendAsync(HttpMethod.Get, "/.well-known/jwks.json", null)).Body;
        var parts = jws.Split('.');
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
        Assert.Equal("register-manifest+jwt", header.GetProperty("typ").GetString());
        var key = jwks.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("kid").GetString() == header.GetProperty("kid").GetString());
        var publicKey = Base64Url.DecodeFromChars(key.GetProperty("x").GetString());
        var signer = new Org.BouncyCastle.Crypto.Signers.Ed25519Signer();
        signer.Init(false, new Org.BouncyCastle.Crypto.Parameters.Ed25519PublicKeyParameters(publicKey));
        var input = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        signer.BlockUpdate(input, 0, input.Length);
        Assert.True(signer.VerifySignature(Base64Url.DecodeFromChars(parts[2])));
        return JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement.Clone();
    }
}
