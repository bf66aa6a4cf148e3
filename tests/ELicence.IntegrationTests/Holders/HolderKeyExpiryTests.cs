using System.Net;

namespace ELicence.IntegrationTests.Holders;

/// <summary>An agent's key works until its expiry and is refused on its first request after it (time driven by the fake clock).</summary>
[Collection(LifecycleCollection.Name)]
public class HolderKeyExpiryTests(LifecycleFixture service)
{
    [Fact]
    public async Task An_expired_agent_is_refused_on_its_next_request_and_listed_inactive()
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);
        var agent = await HolderKeys.CreateAsync(service, owner, $"/api/v1/licences/{code}/agents", new { name = "短期办事员", scopes = new[] { "download" }, expiresAt = service.Clock.GetUtcNow().AddDays(1) });
        Assert.Equal(HttpStatusCode.OK, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/credential", agent.Key)).Status);

        service.Clock.Advance(TimeSpan.FromDays(1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/credential", agent.Key)).Status);
        var (_, listed, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/holder-keys", owner);
        Assert.False(listed.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("keyId").GetString() == agent.KeyId).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task An_agent_expiring_more_than_a_year_ahead_is_refused()
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);
        var now = service.Clock.GetUtcNow();

        var (status, problem, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/agents", owner, new { name = "长期办事员", scopes = new[] { "sign" }, expiresAt = now.AddYears(1).AddSeconds(1) });
        var atTheLimit = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/agents", owner, new { name = "一年办事员", scopes = new[] { "sign" }, expiresAt = now.AddYears(1) });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("expiresAt", problem.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.Created, atTheLimit.Status);
    }
}
