using System.Net;
using System.Text.Json;

namespace ELicence.IntegrationTests.Holders;

/// <summary>"Who checked my licence" over HTTP: verifications and downloads, newest first, paged, by date range, each naming who acted.</summary>
[Collection(ServiceCollection.Name)]
public class UsageTests(ServiceFixture service)
{
    [Fact]
    public async Task The_owner_reads_verifications_and_downloads_newest_first_each_naming_who_acted()
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);
        var agent = await HolderKeys.CreateAsync(service, owner, $"/api/v1/licences/{code}/agents", new { name = "王办事员", scopes = new[] { "download" }, expiresAt = DateTimeOffset.UtcNow.AddDays(7) });
        var (_, verification, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { creditCode = code, purpose = "account-opening" });
        Assert.Equal(HttpStatusCode.OK, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/credential", agent.Key)).Status);

        // The verification's record is written by the receipt relay, within seconds.
        var items = await service.UsageAsync(code, owner, 2);

        Assert.Equal(2, items.Count);
        Assert.Equal("download", items[0].GetProperty("kind").GetString());
        Assert.Equal("王办事员", items[0].GetProperty("actorName").GetString());
        Assert.Equal(agent.KeyId, items[0].GetProperty("actorId").GetString());
        Assert.Equal("credential", items[0].GetProperty("document").GetString());
        Assert.Equal("verification", items[1].GetProperty("kind").GetString());
        Assert.Equal("account-opening", items[1].GetProperty("purpose").GetString());
        Assert.Equal("valid", items[1].GetProperty("outcome").GetString());
        Assert.Equal(verification.GetProperty("receipt").GetProperty("id").GetString(), items[1].GetProperty("receiptId").GetString());
        Assert.False(string.IsNullOrEmpty(items[1].GetProperty("actorName").GetString()));
        Assert.True(items[0].GetProperty("at").GetDateTimeOffset() >= items[1].GetProperty("at").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_batch_verification_at_bid_opening_appears_in_the_usage_of_each_licence_it_checked()
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);

        var (_, batch, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications/batch", service.VerifierKey, new { purpose = "tender:2026-0042", items = new[] { new { creditCode = code } } });

        var item = Assert.Single(await service.UsageAsync(code, owner, 1));
        Assert.Equal("verification", item.GetProperty("kind").GetString());
        Assert.Equal("tender:2026-0042", item.GetProperty("purpose").GetString());
        Assert.Equal("valid", item.GetProperty("outcome").GetString());
        Assert.Equal(batch.GetProperty("receipt").GetProperty("id").GetString(), item.GetProperty("receiptId").GetString());
    }

    [Fact]
    public async Task Usage_is_paged_with_a_continuation_token_and_filtered_by_date_range()
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);
        var receipts = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (_, verification, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { creditCode = code, purpose = $"check-{i}" });
            receipts.Add(verification.GetProperty("receipt").GetProperty("id").GetString()!);
        }

        await service.UsageAsync(code, owner, 3);
        var seen = new List<string>();
        string? continuation = null;
        var pages = 0;
        do
        {
            var path = $"/api/v1/licences/{code}/usage?limit=2" + (continuation is null ? "" : "&continuation=" + Uri.EscapeDataString(continuation));
            var (status, page, _) = await service.SendAsync(HttpMethod.Get, path, owner);
            Assert.Equal(HttpStatusCode.OK, status);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("receiptId").GetString()!));
            continuation = page.TryGetProperty("continuation", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            pages++;
        }
        while (continuation is not null);

        Assert.Equal(2, pages);
        Assert.Equal(receipts.AsEnumerable().Reverse(), seen);
        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture));
        var past = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/usage?from={future}", owner)).Body.GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/usage?to={past}", owner)).Body.GetProperty("items").GetArrayLength());
        Assert.Equal(3, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/usage?from={past}&to={future}", owner)).Body.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Only_the_licences_own_keys_with_view_usage_read_its_usage()
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);
        var admin = await HolderKeys.CreateAsync(service, owner, $"/api/v1/licences/{code}/administrators", new { name = "管理员" });
        var viewer = await HolderKeys.CreateAsync(service, owner, $"/api/v1/licences/{code}/agents", new { name = "查看员", scopes = new[] { "view-usage" }, expiresAt = DateTimeOffset.UtcNow.AddDays(7) });
        var downloader = await HolderKeys.CreateAsync(service, owner, $"/api/v1/licences/{code}/agents", new { name = "下载员", scopes = new[] { "download" }, expiresAt = DateTimeOffset.UtcNow.AddDays(7) });
        var stranger = await service.CreateHolderKeyAsync(await service.IssueAsync());
        var path = $"/api/v1/licences/{code}/usage";

        Assert.Equal(HttpStatusCode.OK, (await service.SendAsync(HttpMethod.Get, path, admin.Key)).Status);
        Assert.Equal(HttpStatusCode.OK, (await service.SendAsync(HttpMethod.Get, path, viewer.Key)).Status);
        var (refused, problem, _) = await service.SendAsync(HttpMethod.Get, path, downloader.Key);
        Assert.Equal(HttpStatusCode.Forbidden, refused);
        Assert.Equal("view-usage", problem.GetProperty("missingScope").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Get, path, stranger)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Get, path, service.VerifierKey)).Status);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-11-29", "to")]
    [InlineData("from=2026-11-29T10:00:00Z&to=2026-11-28T10:00:00Z", "from")]
    [InlineData("continuation=%27%20or%20%271", "continuation")]
    [InlineData("continuation=9999999999999999999-x~", "continuation")]
    public async Task A_bad_usage_query_is_a_400_naming_the_parameter(string query, string field)
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);

        var (status, problem, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/usage?{query}", owner);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
    }
}
