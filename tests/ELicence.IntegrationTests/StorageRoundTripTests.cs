using System.Globalization;
using System.Net;
using ELicence.Core.Callers;
using ELicence.Core.Verifiers;
using ELicence.Functions.Http;
using ELicence.Storage;
using ELicence.Storage.Log;
using ELicence.Storage.Receipts;

namespace ELicence.IntegrationTests;

/// <summary>
/// The hot path's cost in Azure is its number of storage round trips (each several milliseconds there), counted by an
/// Azure SDK pipeline policy on the real clients and reported per request. These bounds fail the build if the path grows.
/// </summary>
[Collection(ServiceCollection.Name)]
public class StorageRoundTripTests(ServiceFixture service)
{
    /// <summary>
    /// A verification by credential or by code, once the caller's key was seen: the licence and its permits (one partition
    /// query; the credential is compared with the digest on the licence row), the receipt's journal row, the receipt blob.
    /// Usage, the by-verifier index and the log leaf are written by the receipt relay, outside the request.
    /// </summary>
    private const int MaxPerVerification = 3;

    [Fact]
    public async Task A_verification_by_code_or_by_credential_stays_within_its_round_trips()
    {
        var code = await service.IssueAsync();
        var (_, _, credentialResponse) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/credential", service.RegistrarKey);
        var credential = await credentialResponse.Content.ReadAsStringAsync();
        await VerifyAsync(new { creditCode = code }); // the caller is now recently seen

        var byCode = await VerifyAsync(new { creditCode = code });
        var byCredential = await VerifyAsync(new { credential });

        Assert.InRange(byCode, 1, MaxPerVerification);
        Assert.InRange(byCredential, 1, MaxPerVerification);
    }

    /// <summary>
    /// A presentation costs one more: its single-use record (a conditional insert in <c>presentationuses</c>, which must hold
    /// before the answer and cannot share an entity-group transaction with the journal row, another table).
    /// </summary>
    [Fact]
    public async Task A_presentation_verification_stays_within_its_round_trips()
    {
        var code = await service.IssueAsync();
        var holder = await service.CreateHolderKeyAsync(code);
        var (_, made, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/presentations", holder, new { audience = service.VerifierId, disclose = new[] { "domicile" } });
        await VerifyAsync(new { creditCode = code }); // the caller is now recently seen

        var byPresentation = await VerifyAsync(new { presentation = made.GetProperty("presentation").GetString(), nonce = made.GetProperty("nonce").GetString() });

        Assert.InRange(byPresentation, 1, MaxPerVerification + 1);
    }

    [Fact]
    public async Task A_key_not_seen_recently_costs_its_lookup_and_then_comes_from_memory()
    {
        var code = await service.IssueAsync();
        var key = await NewVerifierKeyAsync();

        var first = await VerifyAsync(new { creditCode = code }, key.Key);
        var second = await VerifyAsync(new { creditCode = code }, key.Key);

        Assert.Equal(second + 1, first); // the key row, read once
    }

    [Fact]
    public async Task A_cached_key_revoked_through_the_service_is_refused_at_once()
    {
        var code = await service.IssueAsync();
        var key = await NewVerifierKeyAsync();
        await VerifyAsync(new { creditCode = code }, key.Key);

        var (revoked, _, _) = await service.SendAsync(HttpMethod.Delete, $"/api/v1/verifiers/{key.PrincipalId}/keys/{key.KeyId}", service.RegistrarKey);
        var (status, _, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", key.Key, new { creditCode = code });

        Assert.Equal(HttpStatusCode.OK, revoked);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task Every_receipt_and_batch_receipt_reaches_the_log_and_leaves_the_journal()
    {
        var code = await service.IssueAsync();
        var (_, single, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { creditCode = code });
        var (_, batch, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications/batch", service.VerifierKey, new { items = new[] { new { creditCode = code } } });
        var singleId = single.GetProperty("receipt").GetProperty("id").GetString();
        var batchId = batch.GetProperty("receipt").GetProperty("id").GetString();
        var leaves = await Eventually.PollAsync(
            () => service.Services.InLogAsync($"receipt:{singleId}", $"batch-receipt:{batchId}"),
            ids => ids.Count == 2,
            "both receipts in the log (pending or sequenced)");
        await Eventually.PollAsync(
            () => service.QueryAsync(StorageNames.ReceiptJournalTable, $"RowKey eq '{singleId}' or RowKey eq '{batchId}'"),
            rows => rows.Count == 0,
            "the journal rows relayed");

        Assert.Contains($"receipt:{singleId}", leaves);
        Assert.Equal(2, (await service.QueryAsync(StorageNames.LicenceUsageTable, $"PartitionKey eq '{code}' and (ReceiptId eq '{singleId}' or ReceiptId eq '{batchId}')")).Count);
    }

    [Fact]
    public async Task A_batch_receipt_too_large_for_a_journal_row_is_written_blob_first_and_relayed_all_the_same()
    {
        const int Items = 250;
        var code = await service.IssueAsync();

        var (status, batch, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications/batch", service.VerifierKey,
            new { purpose = "tender:2026-0250", items = Enumerable.Repeat(new { creditCode = code }, Items) });
        var id = batch.GetProperty("receipt").GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(batch.GetProperty("receipt").GetProperty("jws").GetString()!.Length > ReceiptJournal.MaxJwsLength, "the receipt takes the blob-first path");
        var usage = await Eventually.PollAsync(
            () => service.QueryAsync(StorageNames.LicenceUsageTable, $"PartitionKey eq '{code}' and ReceiptId eq '{id}'"),
            rows => rows.Count >= Items,
            $"{Items} usage rows of the batch");
        Assert.Equal(Items, usage.Select(r => r.GetInt32("Item")).Distinct().Count());
        await Eventually.PollAsync(() => service.Services.InLogAsync($"batch-receipt:{id}"), ids => ids.Count == 1, "the batch's leaf in the log (pending or sequenced)");
        await Eventually.PollAsync(() => service.QueryAsync(StorageNames.ReceiptJournalTable, $"RowKey eq '{id}'"), rows => rows.Count == 0, "the journal row relayed");
        var (read, stored, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/receipts/{id}", service.VerifierKey);
        Assert.Equal(HttpStatusCode.OK, read);
        Assert.Equal(batch.GetProperty("receipt").GetProperty("jws").GetString(), stored.GetProperty("receipt").GetString());
    }

    [Fact]
    public async Task The_count_is_per_request_and_an_answer_from_memory_counts_none()
    {
        var (_, _, refused) = await service.SendAsync(HttpMethod.Get, "/api/v1/status-lists/revocation/x", null);

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode); // refused by its shape, before any storage call
        Assert.Equal("0", Assert.Single(refused.Headers.GetValues(HttpApi.StorageRoundTripsHeader)));
    }

    private async Task<IssuedApiKey> NewVerifierKeyAsync()
    {
        var verifiers = service.Services.GetRequiredService<VerifierService>();
        var organisation = await verifiers.CreateAsync(Caller.Registrar("registrar:test", "Test registrar"), new NewVerifierRequest($"Bank {Guid.NewGuid():N}", VerifierKind.Bank), null, default);
        return await verifiers.IssueKeyAsync(organisation.Id, default);
    }

    private async Task<int> VerifyAsync(object body, string? key = null)
    {
        var (status, _, response) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", key ?? service.VerifierKey, body);
        Assert.Equal(HttpStatusCode.OK, status);
        return int.Parse(Assert.Single(response.Headers.GetValues(HttpApi.StorageRoundTripsHeader)), CultureInfo.InvariantCulture);
    }
}
