using System.Globalization;
using System.Net;
using Azure.Data.Tables;
using ELicence.Core.Callers;
using ELicence.Core.Keys;
using ELicence.Core.Receipts;
using ELicence.Core.Verification;
using ELicence.Core.Verifiers;
using ELicence.Functions.Http;
using ELicence.Storage;
using ELicence.Storage.Log;
using ELicence.Storage.Receipts;

namespace ELicence.IntegrationTests;

/// <summary>
/// The receipt journal's crash stories, on the fake clock: what an instance that crashed leaves in the journal is relayed by
/// the sweep of another, exactly once; and the caller cache's bound for a key revoked by another instance.
/// </summary>
[Collection(LifecycleCollection.Name)]
public class ReceiptRelayTests(LifecycleFixture service)
{
    [Fact]
    public async Task A_journaled_receipt_whose_instance_crashed_before_its_blob_is_relayed_by_the_sweep_and_relaying_again_duplicates_nothing()
    {
        var code = await service.IssueAsync();
        var (id, jws) = await SignReceiptAsync(code);
        var relay = service.Services.GetRequiredService<ReceiptRelay>();

        await StageJournalRowAsync(id, jws); // the row, then the crash: no blob, no usage, no index, no leaf
        service.Clock.Advance(ReceiptRelay.SkewMargin + TimeSpan.FromMinutes(1));
        await relay.SweepAsync(default);
        await AssertRelayedOnceAsync(code, id, jws);

        await StageJournalRowAsync(id, jws); // a relay that crashed after its writes, before deleting the row
        service.Clock.Advance(ReceiptRelay.SkewMargin + TimeSpan.FromMinutes(1));
        await relay.SweepAsync(default);
        await AssertRelayedOnceAsync(code, id, jws);
    }

    [Fact]
    public async Task A_row_that_is_not_a_receipt_stays_for_an_operator_and_holds_no_other_row_back()
    {
        var code = await service.IssueAsync();
        var (id, jws) = await SignReceiptAsync(code);
        var journal = service.Storage.Table(StorageNames.ReceiptJournalTable);
        var junkId = Receipt.NewId();
        var junkPartition = ReceiptJournal.PartitionOf(service.Clock.GetUtcNow(), junkId);
        await journal.AddEntityAsync(ReceiptJournal.Entity(new JournalRow(junkPartition, junkId, ReceiptJournal.SingleKind, service.VerifierId, "not.a.jws")));
        await StageJournalRowAsync(id, jws);

        service.Clock.Advance(ReceiptRelay.SkewMargin + TimeSpan.FromMinutes(1));
        await service.Services.GetRequiredService<ReceiptRelay>().SweepAsync(default);

        await AssertRelayedOnceAsync(code, id, jws);
        Assert.Single(await service.QueryAsync(StorageNames.ReceiptJournalTable, $"RowKey eq '{junkId}'"));
        Assert.Null(await service.Services.GetRequiredService<IReceiptStore>().FindAsync(junkId, default)); // nothing written from it
        await journal.DeleteEntityAsync(junkPartition, junkId); // (the operator)
    }

    [Fact]
    public async Task A_cached_key_revoked_by_another_instance_is_refused_here_once_the_cache_bound_has_passed()
    {
        var code = await service.IssueAsync();
        var verifiers = service.Services.GetRequiredService<VerifierService>();
        var organisation = await verifiers.CreateAsync(Caller.Registrar("registrar:test", "Test registrar"), new NewVerifierRequest($"Bank {Guid.NewGuid():N}", VerifierKind.Bank), null, default);
        var key = await verifiers.IssueKeyAsync(organisation.Id, default);
        var bound = TimeSpan.FromSeconds(service.Services.GetRequiredService<CallerCacheOptions>().CacheSeconds);
        var (seen, _, _) = await VerifyAsync(code, key.Key);

        // Another instance revokes it: straight in the key table, so this instance's cache does not know.
        await service.Storage.Table(StorageNames.ApiKeysTable).UpdateEntityAsync(new TableEntity(key.KeyId, "key") { ["Revoked"] = true }, Azure.ETag.All, TableUpdateMode.Merge);
        var (withinBound, _, cached) = await VerifyAsync(code, key.Key);
        service.Clock.Advance(bound);
        var (afterBound, _, _) = await VerifyAsync(code, key.Key);

        Assert.Equal(HttpStatusCode.OK, seen);
        Assert.Equal(HttpStatusCode.OK, withinBound);
        Assert.InRange(int.Parse(Assert.Single(cached.Headers.GetValues(HttpApi.StorageRoundTripsHeader)), CultureInfo.InvariantCulture), 1, 3); // no key lookup
        Assert.Equal(HttpStatusCode.Unauthorized, afterBound);
    }

    private Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> VerifyAsync(string code, string key) =>
        service.SendAsync(HttpMethod.Post, "/api/v1/verifications", key, new { creditCode = code });

    /// <summary>A receipt signed by the service's key, as a verification by code on the fake clock would make it.</summary>
    private async Task<(string Id, string Jws)> SignReceiptAsync(string code)
    {
        var ring = await service.Services.GetRequiredService<IKeyRingProvider>().GetAsync(default);
        var now = service.Clock.GetUtcNow();
        var receipt = new Receipt("http://localhost", Receipt.NewId(), now.ToUnixTimeSeconds(), code, now, new ReceiptVerifier(service.VerifierId, "Bank A", VerifierKind.Bank), "crash-test",
            new ReceiptTarget("credit-code", code, null, 1, null, null), true, [new VerificationReason(ReasonCodes.Verified, "ok")], null);
        return (receipt.Id, receipt.Sign(ring.Signing));
    }

    private async Task StageJournalRowAsync(string id, string jws)
    {
        var row = new JournalRow(ReceiptJournal.PartitionOf(service.Clock.GetUtcNow(), id), id, ReceiptJournal.SingleKind, service.VerifierId, jws);
        await service.Storage.Table(StorageNames.ReceiptJournalTable).AddEntityAsync(ReceiptJournal.Entity(row));
    }

    private async Task AssertRelayedOnceAsync(string code, string id, string jws)
    {
        var stored = await service.Services.GetRequiredService<IReceiptStore>().FindAsync(id, default);
        Assert.Equal(jws, stored?.Jws);
        Assert.Equal(service.VerifierId, stored?.VerifierId);
        var usage = Assert.Single(await service.QueryAsync(StorageNames.LicenceUsageTable, $"PartitionKey eq '{code}' and ReceiptId eq '{id}'"));
        Assert.Equal("crash-test", usage.GetString("Purpose"));
        Assert.Single(await service.QueryAsync(StorageNames.ReceiptsByVerifierTable, $"RowKey eq '{id}'"));
        // Pending at most once, or already sequenced (the sequencer de-duplicates by leaf id, LogSequencer).
        var leaves = await service.Services.GetRequiredService<PendingLeafStore>().ReadAsync(1_000_000, default);
        Assert.True(leaves.Count(l => l.Id == $"receipt:{id}") <= 1);
        Assert.Single(await service.Services.InLogAsync($"receipt:{id}"));
        Assert.Empty(await service.QueryAsync(StorageNames.ReceiptJournalTable, $"RowKey eq '{id}'"));
    }
}
