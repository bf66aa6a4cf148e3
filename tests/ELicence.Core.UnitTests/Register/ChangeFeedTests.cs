using ELicence.Core.Register;
using ELicence.Core.Serialization;
using ELicence.Jose;

namespace ELicence.Core.UnitTests.Register;

/// <summary>The change feed's writer and reader over the in-memory feed, and the snapshot and delta files built from it.</summary>
public class ChangeFeedTests
{
    private readonly InMemoryRegister _register = new();
    private readonly InMemoryChangeFeed _feed = new();
    private readonly RegisterOptions _options = new() { LongPollInterval = TimeSpan.FromMilliseconds(10) };

    private ChangeFeedWriter Writer => new(_register.Licences, _feed);

    private ChangeFeedReader Reader => new(_feed, _options);

    private static LicenceEventNotice Notice(Licence licence, int sequence, string type, LicenceStatus? before, LicenceStatus after, params string[] changed) =>
        new(licence.Code, new LicenceEvent(sequence, type, Builders.IssuedAt.AddHours(sequence), "registrar:test", "Test registrar", licence.Version, before, after,
            [.. changed.Select(f => new FieldChange(f, "a", "b"))], null));

    [Fact]
    public async Task A_notice_delivered_twice_is_in_the_feed_once_and_private_events_not_at_all()
    {
        var licence = _register.Licences.Seed(Builders.Licence(7));
        var issued = Notice(licence, 1, "issued", null, LicenceStatus.Active);

        await Writer.HandleAsync(issued, default);
        await Writer.HandleAsync(issued, default);
        await Writer.HandleAsync(Notice(licence, 2, "permit-attached", LicenceStatus.Active, LicenceStatus.Active, "permits"), default);
        await Writer.HandleAsync(Notice(licence, 3, "suspended", LicenceStatus.Active, LicenceStatus.Suspended, "status"), default);
        await Writer.HandleAsync(Notice(licence, 2, "permit-attached", LicenceStatus.Active, LicenceStatus.Active, "permits"), default);
        await Writer.HandleAsync(issued, default);

        Assert.Equal([(1L, "issued", 1), (2L, "suspended", 3)], _feed.Entries.Select(e => (e.Sequence, e.Type, e.EventSequence)));
    }

    [Fact]
    public async Task An_amendment_names_only_the_public_fields_it_changed()
    {
        var licence = _register.Licences.Seed(Builders.Licence(7));

        await Writer.HandleAsync(Notice(licence, 2, "amended", LicenceStatus.Active, LicenceStatus.Active, "name", "registeredCapital", "establishedOn", "domicile"), default);

        Assert.Equal(["name", "domicile"], Assert.Single(_feed.Entries).Changes);
    }

    [Fact]
    public async Task A_feed_entry_holds_only_public_fields()
    {
        var licence = _register.Licences.Seed(Builders.Licence(7));
        await Writer.HandleAsync(Notice(licence, 1, "issued", null, LicenceStatus.Active), default);

        var json = ElicenceJson.Serialize(Assert.Single(_feed.Entries));

        foreach (var secret in new[] { "registeredCapital", "1000000", "statusListIndex", "131073", "applicationId", "credentialId", "actor", "Test registrar", "etag" })
        {
            Assert.DoesNotContain(secret, json, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("-1", null, null, "after")]
    [InlineData("abc", null, null, "after")]
    [InlineData("1.5", null, null, "after")]
    [InlineData("99999999999999999999999", null, null, "after")]
    [InlineData(null, "0", null, "limit")]
    [InlineData(null, "1001", null, "limit")]
    [InlineData(null, null, "31", "wait")]
    [InlineData(null, null, "-1", "wait")]
    public async Task Malformed_parameters_are_a_problem_naming_them(string? after, string? limit, string? wait, string field)
    {
        var problem = await Assert.ThrowsAsync<ProblemException>(() => Reader.ReadAsync(new FeedRequest(after, limit, wait), default));

        Assert.Equal(field, Assert.Single(problem.Errors).Field);
    }

    [Fact]
    public async Task A_cursor_from_the_future_is_refused_and_one_too_old_is_gone_with_where_to_start()
    {
        var licence = _register.Licences.Seed(Builders.Licence(7));
        await Writer.HandleAsync(Notice(licence, 1, "issued", null, LicenceStatus.Active), default);
        await Writer.HandleAsync(Notice(licence, 2, "suspended", LicenceStatus.Active, LicenceStatus.Suspended), default);

        var future = await Assert.ThrowsAsync<ProblemException>(() => Reader.ReadAsync(new FeedRequest("3", null, null), default));
        Assert.Equal("after", Assert.Single(future.Errors).Field);

        await _feed.TrimAsync(1, DateTimeOffset.MaxValue, default);
        var gone = await Assert.ThrowsAsync<ProblemException>(() => Reader.ReadAsync(new FeedRequest("0", null, null), default));
        Assert.Equal(ProblemType.Gone, gone.Type);
        Assert.Equal(1L, gone.Extensions["oldestCursor"]);

        var page = await Reader.ReadAsync(new FeedRequest("1", null, null), default);
        Assert.Equal([2L], page.Changes.Select(c => c.Sequence));
        Assert.Equal(2, page.Cursor);
    }

    [Fact]
    public async Task A_page_resumes_exactly_where_the_previous_one_ended()
    {
        for (var i = 0; i < 7; i++)
        {
            var licence = _register.Licences.Seed(Builders.Licence(10 + i));
            await Writer.HandleAsync(Notice(licence, 1, "issued", null, LicenceStatus.Active), default);
        }

        var read = new List<long>();
        long cursor = 0;
        while (true)
        {
            var page = await Reader.ReadAsync(new FeedRequest(cursor.ToString(System.Globalization.CultureInfo.InvariantCulture), "3", null), default);
            if (page.Changes.Count == 0)
            {
                break;
            }

            read.AddRange(page.Changes.Select(c => c.Sequence));
            cursor = page.Cursor;
        }

        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), read);
    }

    [Fact]
    public async Task Snapshot_then_deltas_rebuild_the_register_and_manifests_are_signed_over_the_bytes()
    {
        var files = new InMemoryRegisterFiles();
        var publisher = new RegisterFiles(_feed, files, _register.Keys, _options, _register.Clock);
        var a = _register.Licences.Seed(Builders.Licence(7));
        await Writer.HandleAsync(Notice(a, 1, "issued", null, LicenceStatus.Active), default);
        await publisher.PublishDeltaAsync(default);
        var snapshot = await publisher.PublishSnapshotAsync(default);

        var b = _register.Licences.Seed(Builders.Licence(8));
        await Writer.HandleAsync(Notice(b, 1, "issued", null, LicenceStatus.Active), default);
        a = _register.Licences.Seed(a with { Status = LicenceStatus.Suspended });
        await Writer.HandleAsync(Notice(a, 2, "suspended", LicenceStatus.Active, LicenceStatus.Suspended), default);
        await publisher.PublishDeltaAsync(default);
        Assert.Null(await publisher.PublishDeltaAsync(default)); // nothing new: no empty file

        var rebuilt = RegisterFiles.ReadLines<PublicRecord>((await files.ReadAsync(snapshot!.Manifest.File, default))!).ToDictionary(r => r.CreditCode);
        foreach (var delta in (await files.ListAsync(default)).Where(f => f.Manifest.Kind == RegisterFileManifest.DeltaKind && f.Manifest.LastSequence > snapshot.Manifest.LastSequence))
        {
            var bytes = (await files.ReadAsync(delta.Manifest.File, default))!;
            Assert.Equal(delta.Manifest.Size, bytes.Length);
            Assert.Equal(delta.Manifest.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
            Assert.True(CompactJws.TryParse(delta.ManifestJws, out var jws, out _));
            Assert.Equal(_register.Keys.Ring.Signing.KeyId, jws.KeyId);
            Assert.True(Ed25519.Verify(_register.Keys.Ring.Signing.PublicKey, jws.SigningInput, jws.Signature));
            foreach (var entry in RegisterFiles.ReadLines<FeedEntry>(bytes).Where(e => e.Sequence > snapshot.Manifest.LastSequence))
            {
                rebuilt[entry.CreditCode] = entry.Record;
            }
        }

        Assert.Equal(LicenceStatus.Suspended, rebuilt[a.Code.Value].Status);
        Assert.Equal(2, rebuilt.Count);
    }
}
