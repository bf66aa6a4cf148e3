using ELicence.Core.Callers;
using ELicence.Core.Verifiers;
using ELicence.Storage;

namespace ELicence.IntegrationTests.Webhooks;

/// <summary>Retries, dead-lettering, disabling, redelivery and ordering, on the fake clock that drives the delivery sweep.</summary>
[Collection(LifecycleCollection.Name)]
public class WebhookRetryTests(LifecycleFixture service)
{
    [Fact]
    public async Task A_failing_receiver_is_retried_with_backoff_for_24_hours_then_dead_lettered_later_disabled_and_redelivered_once_enabled()
    {
        var code = await service.IssueAsync();
        await using var receiver = await WebhookReceiver.StartAsync(service.WebhookPort, () => service.Clock.GetUtcNow());
        receiver.Answer = _ => 503;
        receiver.AnswerBody = new string('x', 5000);
        var (webhook, secret) = await SubscribeAsync(receiver.Url, code);

        await service.ActAsync(code, "suspension", new { reasonCode = "annual-report-not-filed", reason = "未按期公示年度报告" });
        await receiver.WaitForAsync(1);
        var firstAttempt = service.Clock.GetUtcNow();
        var deliveryId = $"{code}-2";
        JsonElement delivery;
        do
        {
            var attempts = receiver.Received.Count;
            await service.AdvanceUntilAsync(TimeSpan.FromHours(2.5), async () => receiver.Received.Count > attempts || (await DeliveryAsync(webhook, deliveryId)).GetProperty("state").GetString() != "pending");
            delivery = await DeliveryAsync(webhook, deliveryId);
        }
        while (delivery.GetProperty("state").GetString() == "pending");

        var attemptsMade = receiver.Received;
        Assert.Equal("dead-lettered", delivery.GetProperty("state").GetString());
        Assert.Equal(attemptsMade.Count, delivery.GetProperty("attempts").GetInt32());
        Assert.True(attemptsMade.Count >= 10, $"Only {attemptsMade.Count} attempts.");
        Assert.True(attemptsMade[^1].ServiceNow - firstAttempt >= TimeSpan.FromHours(24), "Retried for less than 24 hours.");
        Assert.Single(attemptsMade.Select(a => a.Id).Distinct());
        Assert.Equal(503, delivery.GetProperty("lastStatus").GetInt32());
        // The receiver's body is never kept or shown: a status and a short reason only.
        Assert.False(delivery.TryGetProperty("lastResponse", out _));
        Assert.Equal("The receiver answered 503.", delivery.GetProperty("lastError").GetString());
        var log = (await service.SendAsync(HttpMethod.Get, $"/api/v1/webhooks/{webhook}/deliveries", service.VerifierKey)).Response;
        Assert.DoesNotContain("xxxx", await log.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.All(await service.QueryAsync(StorageNames.WebhooksTable, $"PartitionKey eq '{webhook}'"),
            row => Assert.DoesNotContain(((IDictionary<string, object>)row).Values, v => v is string text && text.Contains("xxxx", StringComparison.Ordinal)));
        var verified = await WebhookReceiver.VerifyWithLibraryAsync(secret, attemptsMade, atServiceClock: true);
        Assert.All(verified, v => Assert.True(v.GetProperty("verified").GetBoolean(), v.ToString()));
        var subscription = await GetAsync(webhook);
        Assert.Equal("active", subscription.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, subscription.GetProperty("failingSince").ValueKind);

        // Still failing after the configured time: the next delivery's failure disables the subscription, which says so.
        service.Clock.Advance(LifecycleFixture.WebhookDisableAfter);
        var before = receiver.Received.Count;
        await service.ActAsync(code, "reinstatement", new { reason = "已补报" });
        await receiver.WaitForAsync(before + 1);
        await service.AdvanceUntilAsync(TimeSpan.Zero, async () => (await GetAsync(webhook)).GetProperty("status").GetString() == "disabled");
        subscription = await GetAsync(webhook);
        Assert.Contains("failed", subscription.GetProperty("disabledReason").GetString(), StringComparison.Ordinal);
        var (refusedStatus, refused, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhook}/deliveries/{deliveryId}/redelivery", service.VerifierKey);
        Assert.Equal(HttpStatusCode.Conflict, refusedStatus);
        Assert.Equal("disabled", refused.GetProperty("currentStatus").GetString());

        // Enabled again with a healthy receiver, the dead-lettered delivery is sent again: same message id, now delivered.
        receiver.Answer = _ => 200;
        var (enableStatus, enabled, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhook}/enable", service.VerifierKey);
        before = receiver.Received.Count;
        var (redeliverStatus, _, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhook}/deliveries/{deliveryId}/redelivery", service.VerifierKey);
        var again = (await receiver.WaitForAsync(before + 1))[before];
        await service.AdvanceUntilAsync(TimeSpan.Zero, async () => (await DeliveryAsync(webhook, deliveryId)).GetProperty("state").GetString() == "delivered");

        Assert.Equal(HttpStatusCode.OK, enableStatus);
        Assert.Equal("active", enabled.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Accepted, redeliverStatus);
        Assert.Equal(attemptsMade[0].Id, again.Id);
        Assert.Equal(2, again.Sequence);
    }

    [Fact]
    public async Task One_licences_notifications_arrive_in_sequence_order_even_when_the_first_is_retried()
    {
        var code = await service.IssueAsync();
        await using var receiver = await WebhookReceiver.StartAsync(service.WebhookPort, () => service.Clock.GetUtcNow());
        var failedOnce = 0;
        receiver.Answer = r => r.Sequence == 2 && Interlocked.Exchange(ref failedOnce, 1) == 0 ? 500 : 200;
        var (webhook, secret) = await SubscribeAsync(receiver.Url, code);

        await service.ActAsync(code, "suspension", new { reasonCode = "annual-report-not-filed", reason = "x" });
        await service.ActAsync(code, "reinstatement", new { reason = "y" });
        await service.ActAsync(code, "suspension", new { reasonCode = "annual-report-not-filed", reason = "z" });
        await receiver.WaitForAsync(1);
        // The later events wait while the first is retried: until the clock moves, nothing else is sent.
        await WaitUntilLoggedAsync(webhook, 3);
        Assert.Single(receiver.Received);
        await service.AdvanceUntilAsync(TimeSpan.FromMinutes(2), () => Task.FromResult(receiver.Received.Count >= 4));

        Assert.Equal([2, 2, 3, 4], receiver.Received.Select(r => r.Sequence));
        var verified = await WebhookReceiver.VerifyWithLibraryAsync(secret, receiver.Received, atServiceClock: true);
        Assert.All(verified, v => Assert.True(v.GetProperty("verified").GetBoolean(), v.ToString()));
    }

    private async Task<(string Id, string Secret)> SubscribeAsync(string url, string code, string? key = null)
    {
        var (status, body, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/webhooks", key ?? service.VerifierKey,
            new { url, events = new[] { "licence.suspended", "licence.reinstated" }, creditCodes = new[] { code } });
        Assert.True(HttpStatusCode.Created == status, body.ToString());
        return (body.GetProperty("webhook").GetProperty("id").GetString()!, body.GetProperty("secret").GetString()!);
    }

    [Fact]
    public async Task A_deleted_subscription_stops_its_pending_deliveries_and_leaves_nothing_behind_while_another_goes_on()
    {
        var code = await service.IssueAsync();
        var key = await NewVerifierKeyAsync("删除订阅的招标平台");
        await using var receiver = await WebhookReceiver.StartAsync(service.WebhookPort, () => service.Clock.GetUtcNow());
        receiver.Answer = _ => 503;
        var (deleted, _) = await SubscribeAsync(receiver.Url, code, key);
        var (kept, _) = await SubscribeAsync(receiver.Url, code, key);
        await service.ActAsync(code, "suspension", new { reasonCode = "annual-report-not-filed", reason = "x" });
        await receiver.WaitForAsync(2);

        var (status, _, _) = await service.SendAsync(HttpMethod.Delete, $"/api/v1/webhooks/{deleted}", key);
        // The kept subscription's retry is the sign that the sweep ran; the deleted one is never attempted again.
        await service.AdvanceUntilAsync(TimeSpan.FromHours(1), () => Task.FromResult(receiver.Received.Count(r => r.Id.Contains(kept[4..], StringComparison.Ordinal)) >= 2));

        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Single(receiver.Received, r => r.Id.Contains(deleted[4..], StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await service.SendAsync(HttpMethod.Get, $"/api/v1/webhooks/{deleted}", key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await service.SendAsync(HttpMethod.Get, $"/api/v1/webhooks/{deleted}/deliveries", key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await service.SendAsync(HttpMethod.Delete, $"/api/v1/webhooks/{deleted}", key)).Status);
        Assert.Empty(await service.QueryAsync(StorageNames.WebhooksTable, $"PartitionKey eq '{deleted}'"));
        Assert.Empty(await service.QueryAsync(StorageNames.WebhookCodesTable, $"RowKey eq '{deleted}'"));
        Assert.Single(await service.QueryAsync(StorageNames.WebhookCodesTable, $"RowKey eq '{kept}'"));
    }

    [Fact]
    public async Task Only_the_owner_deletes_a_subscription()
    {
        var code = await service.IssueAsync();
        var owner = await NewVerifierKeyAsync("订阅所有者");
        var (webhook, _) = await SubscribeAsync($"http://localhost:{service.WebhookPort}/hooks/owner", code, owner);

        Assert.Equal(HttpStatusCode.NotFound, (await service.SendAsync(HttpMethod.Delete, $"/api/v1/webhooks/{webhook}", service.VerifierKey)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Delete, $"/api/v1/webhooks/{webhook}", service.RegistrarKey)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.SendAsync(HttpMethod.Delete, $"/api/v1/webhooks/{webhook}", null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await service.SendAsync(HttpMethod.Get, $"/api/v1/webhooks/{webhook}", owner)).Status);
    }

    [Fact]
    public async Task An_organisation_holds_a_bounded_number_of_subscriptions_and_deleting_one_frees_a_place()
    {
        var code = await service.IssueAsync();
        var key = await NewVerifierKeyAsync("订阅上限的银行");
        var ids = new List<string>();
        for (var i = 0; i < LifecycleFixture.MaxWebhookSubscriptions; i++)
        {
            ids.Add((await SubscribeAsync($"http://localhost:{service.WebhookPort}/hooks/{i}", code, key)).Id);
        }

        var body = new { url = $"http://localhost:{service.WebhookPort}/hooks/more", events = new[] { "licence.revoked" }, creditCodes = new[] { code } };
        var (refused, problem, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/webhooks", key, body);
        await service.SendAsync(HttpMethod.Delete, $"/api/v1/webhooks/{ids[0]}", key);
        var (again, _, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/webhooks", key, body);

        Assert.Equal(HttpStatusCode.Conflict, refused);
        Assert.Equal("urn:elicence:problem:limit-reached", problem.GetProperty("type").GetString());
        Assert.Equal(LifecycleFixture.MaxWebhookSubscriptions, problem.GetProperty("limit").GetInt32());
        Assert.Equal(HttpStatusCode.Created, again);
    }

    private async Task<string> NewVerifierKeyAsync(string name)
    {
        var verifiers = service.Services.GetRequiredService<VerifierService>();
        var organisation = await verifiers.CreateAsync(Caller.Registrar("registrar:test", "Test registrar"), new NewVerifierRequest(name, VerifierKind.TenderingPlatform), null, default);
        return (await verifiers.IssueKeyAsync(organisation.Id, default)).Key;
    }

    private async Task<JsonElement> GetAsync(string webhook) =>
        (await service.SendAsync(HttpMethod.Get, $"/api/v1/webhooks/{webhook}", service.VerifierKey)).Body;

    private async Task<JsonElement> DeliveryAsync(string webhook, string deliveryId) =>
        (await service.SendAsync(HttpMethod.Get, $"/api/v1/webhooks/{webhook}/deliveries", service.VerifierKey)).Body
            .GetProperty("deliveries").EnumerateArray().Single(d => d.GetProperty("id").GetString() == deliveryId);

    private async Task WaitUntilLoggedAsync(string webhook, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await service.SendAsync(HttpMethod.Get, $"/api/v1/webhooks/{webhook}/deliveries", service.VerifierKey)).Body.GetProperty("deliveries").GetArrayLength() < count)
        {
            Assert.True(DateTime.UtcNow < deadline, "The deliveries were not all written.");
            await Task.Delay(25);
        }
    }
}
