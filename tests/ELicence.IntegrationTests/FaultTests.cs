using System.Collections.Concurrent;
using ELicence.Core.Applications;
using ELicence.Core.Receipts;
using ELicence.Core.Verification;
using ELicence.Storage;
using ELicence.Storage.Receipts;
using Microsoft.AspNetCore.Builder;

namespace ELicence.IntegrationTests;

/// <summary>
/// Crashes the issuer on purpose, through the issuance observer, for applications whose name asks for it:
/// "crash-once:{step}" crashes once right after that step, "crash-always" before every step's end.
/// </summary>
public sealed class FaultyIssuanceFixture : ServiceFixture
{
    public ConcurrentDictionary<string, int> Crashes { get; } = new();

    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Services.AddSingleton<IIssuanceObserver>(new CrashingObserver(Crashes));

    private sealed class CrashingObserver(ConcurrentDictionary<string, int> crashes) : IIssuanceObserver
    {
        public void StepCompleted(LicenceApplication application, IssuanceStep step)
        {
            var name = application.Details.Name;
            if (name.StartsWith("crash-always", StringComparison.Ordinal)
                || (name.StartsWith($"crash-once:{step}", StringComparison.Ordinal) && crashes.TryAdd(application.Id, 1)))
            {
                throw new IOException($"simulated crash after {step}");
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class FaultCollection : ICollectionFixture<FaultyIssuanceFixture>
{
    public const string Name = "faults";
}

[Collection(FaultCollection.Name)]
public class FaultTests(FaultyIssuanceFixture service)
{
    [Theory]
    [InlineData(IssuanceStep.CodeAllocated)]
    [InlineData(IssuanceStep.LicenceStored)]
    [InlineData(IssuanceStep.CredentialStored)]
    [InlineData(IssuanceStep.ApplicationMarkedIssued)]
    public async Task A_crash_after_any_step_is_retried_into_exactly_one_licence_and_one_code(IssuanceStep step)
    {
        var id = await service.SubmitAsync(Applications.Valid($"crash-once:{step} {Guid.NewGuid():N}"));

        var settled = await service.WaitUntilSettledAsync(id);

        Assert.Equal("issued", settled.GetProperty("status").GetString());
        Assert.True(service.Crashes.ContainsKey(id), "the issuer did crash once");
        Assert.Single(await service.QueryAsync(StorageNames.SequenceTable, $"PartitionKey eq 'registry' and RowKey eq 'claim-{id}'"));
        var licence = Assert.Single(await service.QueryAsync(StorageNames.LicencesTable, $"ApplicationId eq '{id}' and RowKey eq 'current'"));
        var code = settled.GetProperty("creditCode").GetString();
        Assert.Equal(code, licence.PartitionKey);

        // And what was issued verifies.
        var (_, _, credentialResponse) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/credential", service.RegistrarKey);
        var (_, verification, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { credential = await credentialResponse.Content.ReadAsStringAsync() });
        Assert.True(verification.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task A_message_that_keeps_failing_ends_in_the_poison_queue_and_fails_its_application_with_the_reason()
    {
        var id = await service.SubmitAsync(Applications.Valid($"crash-always {Guid.NewGuid():N}"));

        var settled = await service.WaitUntilSettledAsync(id);

        Assert.Equal("failed", settled.GetProperty("status").GetString());
        var reason = settled.GetProperty("failureReason").GetString();
        Assert.Contains("5 attempt", reason, StringComparison.Ordinal);
        Assert.Contains("an internal error (IOException)", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("simulated crash", reason, StringComparison.Ordinal); // the exception's own text stays in the logs
        Assert.False(settled.TryGetProperty("creditCode", out _));
        Assert.Empty(await service.QueryAsync(StorageNames.LicencesTable, $"ApplicationId eq '{id}'"));
    }

    [Fact]
    public async Task A_receipt_is_written_once_a_second_write_under_its_id_fails_and_leaves_the_first()
    {
        var store = service.Services.GetRequiredService<IReceiptStore>();
        var receipt = new Receipt("http://localhost", Receipt.NewId(), 0, null, DateTimeOffset.UnixEpoch, new ReceiptVerifier("verifier:x", "X", null), null,
            new ReceiptTarget("credit-code", null, null, null, null, null), false, [new VerificationReason(ReasonCodes.LicenceNotFound, "none")], null);
        var first = receipt.Sign(ELicence.Core.Keys.SigningKey.Create(DateTimeOffset.UnixEpoch));
        var second = receipt.Sign(ELicence.Core.Keys.SigningKey.Create(DateTimeOffset.UnixEpoch));
        await store.SaveAsync(new StoredReceipt(receipt.Id, "verifier:x", first, receipt), default);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.SaveAsync(new StoredReceipt(receipt.Id, "verifier:y", second, receipt), default));

        var stored = await store.FindAsync(receipt.Id, default);
        Assert.Equal(first, stored!.Jws);
        Assert.Equal("verifier:x", stored.VerifierId);
    }

    [Fact]
    public async Task Verifications_are_indexed_by_licence_usage_and_by_verifier()
    {
        var code = await service.IssueAsync();
        var (status, verification, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { creditCode = code, purpose = "account-opening" });
        Assert.Equal(HttpStatusCode.OK, status);
        var receiptId = verification.GetProperty("receipt").GetProperty("id").GetString();

        // Written by the receipt relay, within seconds of the answer.
        var usage = Assert.Single(await service.RowsAsync(StorageNames.LicenceUsageTable, $"PartitionKey eq '{code}' and ReceiptId eq '{receiptId}'"));
        Assert.Equal(service.VerifierId, usage.GetString("VerifierId"));
        Assert.Equal("account-opening", usage.GetString("Purpose"));
        Assert.True(usage.GetBoolean("Valid"));
        Assert.Single(await service.RowsAsync(StorageNames.ReceiptsByVerifierTable, $"RowKey eq '{receiptId}' and VerifierId eq '{service.VerifierId}'"));
    }
}
