using ELicence.Core.Log;
using ELicence.Jose;
using ELicence.Tlog;

namespace ELicence.Core.UnitTests.Log;

public class LogEntryTests
{
    private static readonly CreditCode Code = CreditCodeAllocation.CodeFor(7, EntityType.LimitedLiabilityCompany);

    private static LicenceEventNotice Revoked(string actorName = "Registrar Li", string reason = "fraudulent filing") => new(Code,
        new LicenceEvent(3, "Revoked", Builders.IssuedAt, "reg_1", actorName, 2, LicenceStatus.Active, LicenceStatus.Revoked, [], reason));

    [Fact]
    public void Licence_event_entry_is_canonical_json_with_only_public_register_fields()
    {
        var leaf = LogEntries.ForLicenceEvent(Revoked());
        var json = Encoding.UTF8.GetString(leaf.Entry);

        Assert.Equal($"event:{Code}:3", leaf.Id);
        Assert.StartsWith($"{{\"actor\":\"reg_1\",\"at\":\"2026-11-02T17:30:12.3450000Z\",\"code\":\"{Code}\",\"digest\":\"", json, StringComparison.Ordinal);
        Assert.EndsWith("\",\"kind\":\"licence-event\",\"sequence\":3,\"status\":\"Revoked\",\"type\":\"Revoked\",\"version\":2}", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Registrar Li", json, StringComparison.Ordinal);
        Assert.DoesNotContain("fraudulent", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_four_eyes_event_names_the_approver_and_the_proposer_by_id_never_by_name()
    {
        var notice = Revoked();
        var approved = notice with
        {
            Event = notice.Event with { ActorId = "oidc:sub-Zhang_1", ActorName = "科长张", Approval = new EventApproval("prp_1", Actor.Key("00000000000000aa", "登记员王"), Builders.IssuedAt) },
        };

        var json = Encoding.UTF8.GetString(LogEntries.ForLicenceEvent(approved).Entry);

        Assert.StartsWith("{\"actor\":\"oidc:sub-Zhang_1\",", json, StringComparison.Ordinal);
        Assert.Contains(",\"kind\":\"licence-event\",\"proposer\":\"key:00000000000000aa\",\"sequence\":3,", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", json, StringComparison.Ordinal); // no names, nothing escaped
    }

    [Fact]
    public void An_actor_id_that_is_not_plain_ASCII_is_shown_by_its_digest_so_the_entry_stays_canonical()
    {
        var notice = Revoked();
        var json = Encoding.UTF8.GetString(LogEntries.ForLicenceEvent(notice with { Event = notice.Event with { ActorId = "oidc:张\"<x>" } }).Entry);

        Assert.StartsWith("{\"actor\":\"sha256:", json, StringComparison.Ordinal);
        Assert.True(json.All(char.IsAscii));
    }

    [Fact]
    public void The_digest_commits_to_the_whole_event_including_what_the_entry_does_not_show()
    {
        Assert.Equal(LogEntries.ForLicenceEvent(Revoked()).Entry, LogEntries.ForLicenceEvent(Revoked()).Entry);
        Assert.NotEqual(LogEntries.ForLicenceEvent(Revoked()).Entry, LogEntries.ForLicenceEvent(Revoked(reason: "other")).Entry);
    }

    [Fact]
    public void Receipt_entry_commits_to_the_signed_receipt_and_names_no_verifier()
    {
        var leaf = LogEntries.ForSignedReceipt("receipt", "rcpt_0123", Code.ToString(), Builders.IssuedAt, "eyJh.eyJi.c2ln");
        var json = Encoding.UTF8.GetString(leaf.Entry);
        var digest = B64Url.Encode(System.Security.Cryptography.SHA256.HashData("eyJh.eyJi.c2ln"u8));

        Assert.Equal("receipt:rcpt_0123", leaf.Id);
        Assert.Equal($"{{\"at\":\"2026-11-02T17:30:12.3450000Z\",\"code\":\"{Code}\",\"digest\":\"{digest}\",\"kind\":\"receipt\",\"receipt\":\"rcpt_0123\"}}", json);
        Assert.NotEqual(leaf.Entry, LogEntries.ForSignedReceipt("receipt", "rcpt_0123", Code.ToString(), Builders.IssuedAt, "eyJh.eyJi.c2lH").Entry);
        Assert.DoesNotContain("\"code\"", Encoding.UTF8.GetString(LogEntries.ForSignedReceipt("batch-receipt", "rcptb_1", null, Builders.IssuedAt, "a.b.c").Entry), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_licence_event_delivered_twice_is_one_leaf_in_the_log()
    {
        var log = new InMemoryLog();
        var subscriber = new LogLicenceEventSubscriber(log);
        var sequencer = new LogSequencer(log, log, new NoteSigner("elicence.test/log", new byte[32]), "elicence.test/log");

        await subscriber.HandleAsync(Revoked(), default);
        await sequencer.SequenceBatchAsync(default);
        await subscriber.HandleAsync(Revoked(), default); // at-least-once redelivery after sequencing
        var checkpoint = await sequencer.SequenceBatchAsync(default);

        Assert.Equal(1, checkpoint.Size);
        Assert.Empty(log.Pending);
    }
}
