using ELicence.Core.Operations;
using ELicence.Storage;
using ELicence.Storage.Operations;

namespace ELicence.IntegrationTests.Operations;

/// <summary>The service's spans and metrics reach an OpenTelemetry exporter registered the way any host registers one.</summary>
[Collection(OperationsCollection.Name)]
public class TelemetryTests(OperationsFixture service)
{
    [Fact]
    public async Task A_verification_produces_its_span_with_the_receipt_and_outcome_and_counts_as_valid()
    {
        var code = await service.IssueAsync();
        var before = ValidSingleVerifications();

        var (status, verification, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { creditCode = code, purpose = "account-opening" });
        var receiptId = verification.GetProperty("receipt").GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.OK, status);
        var span = Assert.Single(service.Spans.ToArray(), s => s.OperationName == ElicenceTelemetry.VerifySpan && (string?)s.GetTagItem("elicence.receipt.id") == receiptId);
        Assert.Equal("valid", span.GetTagItem("elicence.verification.outcome"));
        Assert.Equal(service.VerifierId, span.GetTagItem("elicence.verifier.id"));
        Assert.True(ValidSingleVerifications() >= before + 1);
    }

    [Fact]
    public async Task Issuance_produces_its_span_and_a_latency_measurement()
    {
        var code = await service.IssueAsync();

        Assert.Contains(service.Spans.ToArray(), s => s.OperationName == ElicenceTelemetry.IssueSpan && (string?)s.GetTagItem("elicence.credit_code") == code);
        Assert.Contains(service.CollectMetric("elicence.issuance.latency"), p => p.Value >= 1);
    }

    [Fact]
    public void Every_poison_queue_has_a_length_and_every_work_queue_an_age()
    {
        var poison = service.CollectMetric(QueueGauges.PoisonQueueLength);
        var age = service.CollectMetric(QueueGauges.QueueAge);

        Assert.Equal(
            StorageNames.Queues.Where(q => q.EndsWith("-poison", StringComparison.Ordinal)).Order(),
            poison.Select(p => (string)p.Tags["queue"]!).Distinct().Order());
        Assert.Equal(
            StorageNames.Queues.Where(q => !q.EndsWith("-poison", StringComparison.Ordinal)).Order(),
            age.Select(p => (string)p.Tags["queue"]!).Distinct().Order());
        Assert.All(poison, p => Assert.True(p.Value >= 0));
    }

    private double ValidSingleVerifications() =>
        service.CollectMetric("elicence.verifications")
            .Where(p => Equals(p.Tags.GetValueOrDefault("outcome"), "valid") && Equals(p.Tags.GetValueOrDefault("kind"), "single"))
            .Sum(p => p.Value);
}
