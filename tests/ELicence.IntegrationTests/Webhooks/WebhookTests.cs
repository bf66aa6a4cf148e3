using ELicence.Core.CreditCodes;
using ELicence.Core.Webhooks;
using ELicence.Storage;

namespace ELicence.IntegrationTests.Webhooks;

/// <summary>Change notifications on the real clock: subscribing, a signed delivery within seconds, codes added and removed, bad input.</summary>
[Collection(ServiceCollection.Name)]
public class WebhookTests(ServiceFixture service)
{
    [Fact]
    public async Task The_tendering_platform_receives_a_signed_notification_of_a_bidders_suspension_verified_by_the_standardwebhooks_library()
    {
        var code = await service.IssueAsync();
        await using var receiver = await WebhookReceiver.StartAsync(service.WebhookPort);
        var (webhook, secret) = await SubscribeAsync(receiver.Url, [code], ["licence.suspended"]);

        await Act(code, "suspension", new { reasonCode = "annual-report-not-filed", reason = "未按期公示年度报告" });
        var received = Assert.Single(await receiver.WaitForAsync(1));

        var verified = Assert.Single(await WebhookReceiver.VerifyWithLibraryAsync(secret, [received], atServiceClock: false));
        Assert.True(verified.GetProperty("verified").GetBoolean(), verified.ToString());
        var payload = verified.GetProperty("payload");
        Assert.Equal("licence.suspended", payload.GetProperty("type").GetString());
        var data = payload.GetProperty("data");
        Assert.Equal(code, data.GetProperty("creditCode").GetString());
        Assert.Equal("licence.suspended", data.GetProperty("event").GetString());
        Assert.Equal(2, data.GetProperty("sequence").GetInt32());
        Assert.Equal("suspended", data.GetProperty("status").GetString());
        Assert.EndsWith($"/verify/{code}", data.GetProperty("link").GetString(), StringComparison.Ordinal);
        Assert.False(data.TryGetProperty("name", out _));

        var delivery = await WaitForStateAsync(webhook, $"{code}-2", "delivered");
        Assert.Equal(received.Id, delivery.GetProperty("messageId").GetString());
        Assert.Equal(204, delivery.GetProperty("lastStatus").GetInt32());
        Assert.Equal(1, delivery.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task A_tampered_delivery_fails_the_librarys_check()
    {
        var code = await service.IssueAsync();
        await using var receiver = await WebhookReceiver.StartAsync(service.WebhookPort);
        var (_, secret) = await SubscribeAsync(receiver.Url, [code], ["licence.suspended"]);

        await Act(code, "suspension", new { reasonCode = "annual-report-not-filed", reason = "未按期公示年度报告" });
        var received = Assert.Single(await receiver.WaitForAsync(1));
        var tampered = received with { Body = received.Body.Replace("licence.suspended", "licence.reinstated", StringComparison.Ordinal) };
        var (_, otherSecret) = await SubscribeAsync(receiver.Url, [code], ["licence.suspended"]);

        var results = await WebhookReceiver.VerifyWithLibraryAsync(secret, [tampered], atServiceClock: false);
        var wrongKey = await WebhookReceiver.VerifyWithLibraryAsync(otherSecret, [received], atServiceClock: false);

        Assert.False(results[0].GetProperty("verified").GetBoolean());
        Assert.False(wrongKey[0].GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task Only_subscribed_events_and_covered_codes_are_notified_and_codes_are_added_and_removed_later()
    {
        var first = await service.IssueAsync();
        var second = await service.IssueAsync();
        await using var receiver = await WebhookReceiver.StartAsync(service.WebhookPort);
        var (webhook, _) = await SubscribeAsync(receiver.Url, [first], ["licence.reinstated"]);

        var (addStatus, added, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhook}/codes", service.VerifierKey, new { add = new[] { second }, remove = new[] { first } });
        var (_, codes, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/webhooks/{webhook}/codes", service.VerifierKey);
        // The first licence is no longer covered; of the second only the reinstatement is wanted.
        await Act(first, "suspension", new { reasonCode = "annual-report-not-filed", reason = "x" });
        await Act(first, "reinstatement", new { reason = "y" });
        await Act(second, "suspension", new { reasonCode = "annual-report-not-filed", reason = "x" });
        await Act(second, "reinstatement", new { reason = "y" });
        var received = await receiver.WaitForAsync(1);
        await WaitForStateAsync(webhook, $"{second}-3", "delivered");

        Assert.Equal(HttpStatusCode.OK, addStatus);
        Assert.Equal(1, added.GetProperty("creditCodeCount").GetInt32());
        Assert.Equal([second], codes.GetProperty("creditCodes").EnumerateArray().Select(c => c.GetString()));
        var only = Assert.Single(receiver.Received);
        Assert.Equal(second, only.Payload.GetProperty("data").GetProperty("creditCode").GetString());
        Assert.Equal("licence.reinstated", only.Payload.GetProperty("type").GetString());
        Assert.Single(received);
    }

    [Fact]
    public async Task The_secret_is_shown_once_and_a_rotated_secret_signs_the_next_delivery()
    {
        var code = await service.IssueAsync();
        await using var receiver = await WebhookReceiver.StartAsync(service.WebhookPort);
        var (webhook, oldSecret) = await SubscribeAsync(receiver.Url, [code], ["licence.suspended", "licence.reinstated"]);

        var (_, shown, response) = await service.SendAsync(HttpMethod.Get, $"/api/v1/webhooks/{webhook}", service.VerifierKey);
        var (rotateStatus, rotated, rotateResponse) = await service.SendAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhook}/secret", service.VerifierKey);
        var newSecret = rotated.GetProperty("secret").GetString()!;
        await Act(code, "suspension", new { reasonCode = "annual-report-not-filed", reason = "x" });
        var received = Assert.Single(await receiver.WaitForAsync(1));

        Assert.DoesNotContain(oldSecret, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("active", shown.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, rotateStatus);
        Assert.Equal("no-store", rotateResponse.Headers.CacheControl?.ToString());
        Assert.StartsWith("whsec_", newSecret, StringComparison.Ordinal);
        Assert.NotEqual(oldSecret, newSecret);
        var results = await WebhookReceiver.VerifyWithLibraryAsync(newSecret, [received], atServiceClock: false);
        var withOld = await WebhookReceiver.VerifyWithLibraryAsync(oldSecret, [received], atServiceClock: false);
        Assert.True(results[0].GetProperty("verified").GetBoolean());
        Assert.False(withOld[0].GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task Another_verifiers_subscription_does_not_exist_for_it_and_its_list_is_its_own()
    {
        var code = await service.IssueAsync();
        var (webhook, _) = await SubscribeAsync($"http://127.0.0.1:{service.WebhookPort}/hooks/x", [code], ["licence.revoked"]);

        var paths = new[] { $"/api/v1/webhooks/{webhook}", $"/api/v1/webhooks/{webhook}/codes", $"/api/v1/webhooks/{webhook}/deliveries" };
        foreach (var path in paths)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await service.SendAsync(HttpMethod.Get, path, service.OtherVerifierKey)).Status);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await service.SendAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhook}/secret", service.OtherVerifierKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await service.SendAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhook}/codes", service.OtherVerifierKey, new { add = new[] { code } })).Status);
        var (_, list, _) = await service.SendAsync(HttpMethod.Get, "/api/v1/webhooks", service.OtherVerifierKey);
        Assert.DoesNotContain(list.GetProperty("webhooks").EnumerateArray(), w => w.GetProperty("id").GetString() == webhook);
    }

    public static TheoryData<string, string> BadSubscriptions => new()
    {
        { """{"url": "https://10.0.0.8/hook", "events": ["licence.revoked"], "creditCodes": []}""", "url" },
        { """{"url": "https://169.254.169.254/latest/meta-data", "events": ["licence.revoked"], "creditCodes": []}""", "url" },
        { """{"url": "https://[fd00::1]/hook", "events": ["licence.revoked"], "creditCodes": []}""", "url" },
        { """{"url": "https://100.64.0.1/hook", "events": ["licence.revoked"], "creditCodes": []}""", "url" },
        { """{"url": "http://example.com/hook", "events": ["licence.revoked"], "creditCodes": []}""", "url" },
        { """{"url": "ftp://example.com/hook", "events": ["licence.revoked"], "creditCodes": []}""", "url" },
        { """{"url": "https://user:pass@example.com/hook", "events": ["licence.revoked"], "creditCodes": []}""", "url" },
        { """{"url": "/relative", "events": ["licence.revoked"], "creditCodes": []}""", "url" },
        { """{"events": ["licence.revoked"], "creditCodes": []}""", "url" },
        { """{"url": "https://example.com/hook", "events": ["licence.issued"], "creditCodes": []}""", "events[0]" },
        { """{"url": "https://example.com/hook", "events": [], "creditCodes": []}""", "events" },
        { """{"url": "https://example.com/hook", "events": ["licence.revoked"], "creditCodes": ["not-a-code"]}""", "creditCodes[0]" },
        { """{"url": "https://example.com/hook", "events": ["licence.revoked"], "creditCodes": [null]}""", "creditCodes[0]" },
        { """{"url": "https://example.com/hook", "events": ["licence.revoked"], "creditCodes": "91653001MA78XXXX1X"}""", "creditCodes" },
        { """{"url": "https://example.com/hook", "events": ["licence.revoked"], "secret": "whsec_mine"}""", "secret" },
    };

    [Fact]
    public async Task The_secret_is_encrypted_at_rest_and_a_row_from_before_encryption_still_signs_and_is_encrypted_when_next_written()
    {
        var code = await service.IssueAsync();
        var other = await service.IssueAsync();
        await using var receiver = await WebhookReceiver.StartAsync(service.WebhookPort);
        var (webhook, secret) = await SubscribeAsync(receiver.Url, [code], ["licence.suspended"]);
        var table = service.Storage.Table(StorageNames.WebhooksTable);
        var row = (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>(webhook, "subscription")).Value;
        Assert.StartsWith(WebhookSecretProtector.Prefix, row.GetString("Secret"), StringComparison.Ordinal);
        Assert.DoesNotContain(secret["whsec_".Length..], row.GetString("Secret"), StringComparison.Ordinal);

        // A row as it was written before encryption: the plain secret.
        row["Secret"] = secret;
        await table.UpdateEntityAsync(row, row.ETag, Azure.Data.Tables.TableUpdateMode.Replace);
        await Act(code, "suspension", new { reasonCode = "annual-report-not-filed", reason = "未按期公示年度报告" });
        var received = Assert.Single(await receiver.WaitForAsync(1));
        var (changed, _, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhook}/codes", service.VerifierKey, new { add = new[] { other } });

        Assert.True((await WebhookReceiver.VerifyWithLibraryAsync(secret, [received], atServiceClock: false))[0].GetProperty("verified").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, changed);
        Assert.StartsWith(WebhookSecretProtector.Prefix, (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>(webhook, "subscription")).Value.GetString("Secret"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loopback_in_any_spelling_is_refused_except_on_the_one_allowed_port()
    {
        var storage = service.Storage.Blobs.Uri.Port;
        var own = service.Http.BaseAddress!.Port;
        var spellings = new[] { "127.0.0.1", "127.1", "0x7f000001", "2130706433", "127.0.0.2", "[::ffff:127.0.0.1]", "[::1]", "localhost", "LocalHost", "x.localhost" };
        var before = await CountAsync();
        foreach (var host in spellings)
        {
            foreach (var port in new[] { storage, own, 1 })
            {
                var (status, problem, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/webhooks", service.VerifierKey,
                    new { url = $"http://{host}:{port}/hooks/x", events = new[] { "licence.revoked" }, creditCodes = Array.Empty<string>() });
                Assert.True(status == HttpStatusCode.BadRequest, $"{host}:{port} → {status}");
                Assert.Equal("url", problem.GetProperty("errors")[0].GetProperty("field").GetString());
            }
        }

        Assert.Equal(before, await CountAsync());
        var (allowed, _, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/webhooks", service.VerifierKey,
            new { url = $"http://127.1:{service.WebhookPort}/hooks/x", events = new[] { "licence.revoked" }, creditCodes = Array.Empty<string>() });
        Assert.Equal(HttpStatusCode.Created, allowed);
    }

    [Theory]
    [MemberData(nameof(BadSubscriptions))]
    public async Task A_bad_subscription_is_a_400_problem_naming_the_field_and_creates_nothing(string body, string field)
    {
        var before = await CountAsync();
        using var request = service.Request(HttpMethod.Post, "/api/v1/webhooks", service.VerifierKey);
        request.Content = Json.Raw(body);

        using var response = await service.Http.SendAsync(request);
        var problem = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task More_than_ten_thousand_codes_are_refused_and_nothing_is_subscribed()
    {
        var before = await CountAsync();
        var codes = Enumerable.Range(0, 10_001).Select(i => CreditCode.Compose('9', '1', "653001", i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture)).Value).ToArray();

        var (status, problem, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/webhooks", service.VerifierKey, new { url = "https://example.com/hook", events = new[] { "licence.revoked" }, creditCodes = codes });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == "creditCodes");
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Redelivering_an_unknown_or_malformed_delivery_is_not_found()
    {
        var code = await service.IssueAsync();
        var (webhook, _) = await SubscribeAsync($"http://127.0.0.1:{service.WebhookPort}/hooks/x", [code], ["licence.revoked"]);

        foreach (var id in new[] { $"{code}-7", "x-1", $"{code}-0", $"{code}--1", "%27or%27" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await service.SendAsync(HttpMethod.Post, $"/api/v1/webhooks/{webhook}/deliveries/{id}/redelivery", service.VerifierKey)).Status);
        }
    }

    private async Task<int> CountAsync() =>
        (await service.SendAsync(HttpMethod.Get, "/api/v1/webhooks", service.VerifierKey)).Body.GetProperty("webhooks").GetArrayLength();

    private async Task<(string Id, string Secret)> SubscribeAsync(string url, string[] codes, string[] events)
    {
        var (status, body, response) = await service.SendAsync(HttpMethod.Post, "/api/v1/webhooks", service.VerifierKey, new { url, events, creditCodes = codes });
        Assert.True(HttpStatusCode.Created == status, body.ToString());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return (body.GetProperty("webhook").GetProperty("id").GetString()!, body.GetProperty("secret").GetString()!);
    }

    private async Task Act(string code, string action, object body)
    {
        var (status, result, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/{action}", service.RegistrarKey, body);
        Assert.True(status == HttpStatusCode.OK, result.ToString());
    }

    private async Task<JsonElement> WaitForStateAsync(string webhook, string deliveryId, string state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var (_, log, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/webhooks/{webhook}/deliveries", service.VerifierKey);
            var delivery = log.GetProperty("deliveries").EnumerateArray().FirstOrDefault(d => d.GetProperty("id").GetString() == deliveryId);
            if (delivery.ValueKind == JsonValueKind.Object && delivery.GetProperty("state").GetString() == state)
            {
                return delivery;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Delivery {deliveryId} did not become {state}: {log}");
            await Task.Delay(50);
        }
    }
}
