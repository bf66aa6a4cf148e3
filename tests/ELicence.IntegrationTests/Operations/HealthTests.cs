using Azure.Data.Tables;
using ELicence.Core.Operations;
using ELicence.Core.StatusLists;
using ELicence.Storage;

namespace ELicence.IntegrationTests.Operations;

/// <summary>Health over HTTP: anonymous up/degraded only; the checks behind it for the registrar's operators alone.</summary>
[Collection(OperationsCollection.Name)]
public class HealthTests(OperationsFixture service)
{
    [Fact]
    public async Task Anyone_sees_up_and_nothing_else()
    {
        var (status, body, response) = await service.SendAsync(HttpMethod.Get, "/api/health", apiKey: null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"status":"up"}""", body.GetRawText());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task The_registrar_sees_each_check_and_others_are_refused()
    {
        var (status, body, _) = await service.SendAsync(HttpMethod.Get, "/api/v1/health", service.RegistrarKey);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("up", body.GetProperty("status").GetString());
        Assert.Equal(
            [HealthService.Storage, HealthService.KeyRing, HealthService.StatusLists],
            body.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.All(body.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("healthy").GetBoolean()));
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Get, "/api/v1/health", service.VerifierKey)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.SendAsync(HttpMethod.Get, "/api/v1/health", apiKey: null)).Status);
    }
}

/// <summary>A status list left unpublished past its ttl, on the fake clock, makes the service degraded until it is published.</summary>
[Collection(LifecycleCollection.Name)]
public class StaleStatusListHealthTests(LifecycleFixture service)
{
    private const int List = 99_999;

    [Fact]
    public async Task A_change_unpublished_for_longer_than_the_ttl_is_degraded_and_publishing_it_is_up_again()
    {
        var options = service.Services.GetRequiredService<StatusListOptions>();
        // A list whose oldest unpublished change is older than publish delay + ttl by the fake clock (its publish never ran).
        var since = service.Clock.GetUtcNow() - options.PublishDelay - options.TimeToLive - TimeSpan.FromSeconds(1);
        await service.Storage.Table(StorageNames.StatusListsTable).UpsertEntityAsync(
            new TableEntity("list", List.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)) { ["Counter"] = 1L, ["Published"] = 0L, ["DirtySince"] = since },
            TableUpdateMode.Replace);
        try
        {
            var (_, anonymous, _) = await service.SendAsync(HttpMethod.Get, "/api/health", apiKey: null);
            var (_, detailed, _) = await service.SendAsync(HttpMethod.Get, "/api/v1/health", service.RegistrarKey);

            Assert.Equal("""{"status":"degraded"}""", anonymous.GetRawText());
            var lists = Assert.Single(detailed.GetProperty("checks").EnumerateArray(), c => !c.GetProperty("healthy").GetBoolean());
            Assert.Equal(HealthService.StatusLists, lists.GetProperty("name").GetString());
            Assert.Contains(List.ToString(System.Globalization.CultureInfo.InvariantCulture), lists.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await service.Services.GetRequiredService<StatusListService>().PublishAsync(List, default);
        }

        var after = (await service.SendAsync(HttpMethod.Get, "/api/v1/health", service.RegistrarKey)).Body;
        Assert.DoesNotContain(List.ToString(System.Globalization.CultureInfo.InvariantCulture), after.GetRawText(), StringComparison.Ordinal);
    }
}
