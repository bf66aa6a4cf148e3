using System.Net;
using System.Text.Json;

namespace ELicence.IntegrationTests.Holders;

/// <summary>Owner, administrators and agents over HTTP: limits, scopes, removal and the registrar's reset, each refused key refused on its next request.</summary>
[Collection(ServiceCollection.Name)]
public class HolderKeyTests(ServiceFixture service)
{
    private static object Agent(string name, params string[] scopes) => new { name, scopes, expiresAt = DateTimeOffset.UtcNow.AddDays(30) };

    [Fact]
    public async Task The_owner_adds_an_administrator_who_adds_an_agent_and_the_listing_never_shows_a_secret()
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);

        var admin = await HolderKeys.CreateAsync(service, owner, $"/api/v1/licences/{code}/administrators", new { name = "李财务" });
        var agent = await HolderKeys.CreateAsync(service, admin.Key, $"/api/v1/licences/{code}/agents", Agent("王办事员", "download", "view-usage"));
        var (status, listed, response) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/holder-keys", owner);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var keys = listed.GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(["owner", "administrator", "agent"], keys.Select(k => k.GetProperty("kind").GetString()));
        var listedAgent = keys.Single(k => k.GetProperty("keyId").GetString() == agent.KeyId);
        Assert.Equal(["download", "view-usage"], listedAgent.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("李财务", listedAgent.GetProperty("createdBy").GetString());
        Assert.True(listedAgent.GetProperty("active").GetBoolean());
        var text = await response.Content.ReadAsStringAsync();
        foreach (var key in new[] { owner, admin.Key, agent.Key })
        {
            Assert.DoesNotContain(key.Split('_')[2], text, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/credential", agent.Key)).Status);
    }

    [Fact]
    public async Task A_sixth_administrator_is_refused_with_a_problem_naming_the_limit_and_nothing_is_added()
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);
        for (var i = 1; i <= 5; i++)
        {
            await HolderKeys.CreateAsync(service, owner, $"/api/v1/licences/{code}/administrators", new { name = $"管理员{i}" });
        }

        var (status, problem, response) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/administrators", owner, new { name = "第六位管理员" });

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:elicence:problem:limit-reached", problem.GetProperty("type").GetString());
        Assert.Equal(5, problem.GetProperty("limit").GetInt32());
        Assert.Contains("(5)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(6, await HolderKeys.CountAsync(service, code, owner));
    }

    [Theory]
    [InlineData("credential")]
    [InlineData("pdf")]
    [InlineData("qr")]
    public async Task An_agent_without_the_download_scope_is_refused_a_download_with_a_problem_naming_the_scope(string document)
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);
        var signer = await HolderKeys.CreateAsync(service, owner, $"/api/v1/licences/{code}/agents", Agent("签章员", "sign"));

        var (status, problem, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/{document}", signer.Key);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("download", problem.GetProperty("missingScope").GetString());
        Assert.Equal(HttpStatusCode.OK, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/{document}", owner)).Status);
    }

    [Theory]
    [InlineData("download")]
    [InlineData("present")]
    [InlineData("sign")]
    public async Task An_agent_without_view_usage_reads_the_history_of_changes_but_not_who_downloaded_or_signed(string scope)
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);
        var agent = await HolderKeys.CreateAsync(service, owner, $"/api/v1/licences/{code}/agents", Agent("办事员", scope));
        var watcher = await HolderKeys.CreateAsync(service, owner, $"/api/v1/licences/{code}/agents", Agent("查询员", "view-usage"));
        Assert.Equal(HttpStatusCode.OK, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/pdf", owner)).Status);
        Assert.Equal(HttpStatusCode.Created, (await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/signatures", owner, new { documentSha256 = new string('a', 64), documentName = "合同.pdf", purpose = "contract" })).Status);

        var (status, history, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/history", agent.Key);
        var (_, full, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/history", watcher.Key);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(history.GetProperty("events").GetArrayLength() > 0);
        Assert.False(history.TryGetProperty("downloads", out _));
        Assert.False(history.TryGetProperty("signatures", out _));
        Assert.DoesNotContain("合同.pdf", history.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(1, full.GetProperty("downloads").GetArrayLength());
        Assert.Equal(1, full.GetProperty("signatures").GetArrayLength());
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/usage", agent.Key)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/log", agent.Key)).Status);
    }

    [Fact]
    public async Task A_removed_agent_is_refused_on_its_next_request_and_removing_it_again_changes_nothing()
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);
        var agent = await HolderKeys.CreateAsync(service, owner, $"/api/v1/licences/{code}/agents", Agent("临时办事员", "download"));
        Assert.Equal(HttpStatusCode.OK, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/credential", agent.Key)).Status);

        var (status, removed, _) = await service.SendAsync(HttpMethod.Delete, $"/api/v1/licences/{code}/holder-keys/{agent.KeyId}", owner);
        var again = await service.SendAsync(HttpMethod.Delete, $"/api/v1/licences/{code}/holder-keys/{agent.KeyId}", owner);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(removed.GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/credential", agent.Key)).Status);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(removed.GetProperty("removedAt").GetString(), again.Body.GetProperty("removedAt").GetString());
    }

    [Fact]
    public async Task The_registrar_resets_the_owner_key_and_every_administrator_and_agent_is_refused_from_then_on()
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);
        var admin = await HolderKeys.CreateAsync(service, owner, $"/api/v1/licences/{code}/administrators", new { name = "原管理员" });
        var agent = await HolderKeys.CreateAsync(service, admin.Key, $"/api/v1/licences/{code}/agents", Agent("原办事员", "download"));

        var (status, reset, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/holder-keys", service.RegistrarKey, new { name = "新法定代表人" });
        var newOwner = reset.GetProperty("key").GetString();

        Assert.Equal(HttpStatusCode.Created, status);
        foreach (var old in new[] { owner, admin.Key, agent.Key })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/credential", old)).Status);
        }

        var (_, listed, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/holder-keys", newOwner);
        var active = Assert.Single(listed.GetProperty("keys").EnumerateArray(), k => k.GetProperty("active").GetBoolean());
        Assert.Equal("新法定代表人", active.GetProperty("name").GetString());
        Assert.Equal(4, listed.GetProperty("keys").GetArrayLength());
        Assert.Equal(HttpStatusCode.Created, (await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/administrators", newOwner, new { name = "新管理员" })).Status);
    }

    [Fact]
    public async Task Agents_manage_no_keys_administrators_add_no_administrators_and_the_owner_key_is_not_removed()
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);
        var ownerKeyId = owner.Split('_')[1];
        var admin = await HolderKeys.CreateAsync(service, owner, $"/api/v1/licences/{code}/administrators", new { name = "管理员甲" });
        var other = await HolderKeys.CreateAsync(service, owner, $"/api/v1/licences/{code}/administrators", new { name = "管理员乙" });
        var agent = await HolderKeys.CreateAsync(service, owner, $"/api/v1/licences/{code}/agents", Agent("办事员", "download", "present", "sign", "view-usage"));
        var before = await HolderKeys.CountAsync(service, code, owner);

        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/agents", agent.Key, Agent("x", "download"))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/holder-keys", agent.Key)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/administrators", admin.Key, new { name = "x" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Delete, $"/api/v1/licences/{code}/holder-keys/{other.KeyId}", admin.Key)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Delete, $"/api/v1/licences/{code}/holder-keys/{ownerKeyId}", owner)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Delete, $"/api/v1/licences/{code}/holder-keys/{agent.KeyId}", agent.Key)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await service.SendAsync(HttpMethod.Delete, $"/api/v1/licences/{code}/holder-keys/0123456789abcdef", owner)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await service.SendAsync(HttpMethod.Delete, $"/api/v1/licences/{code}/holder-keys/%27or%271", owner)).Status);
        Assert.Equal(before, await HolderKeys.CountAsync(service, code, owner));
        Assert.Equal(HttpStatusCode.OK, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/credential", agent.Key)).Status);
    }

    [Fact]
    public async Task The_holder_of_another_licence_manages_no_keys_of_this_one()
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);
        var stranger = await service.CreateHolderKeyAsync(await service.IssueAsync());
        var agent = await HolderKeys.CreateAsync(service, owner, $"/api/v1/licences/{code}/agents", Agent("办事员", "download"));

        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/administrators", stranger, new { name = "入侵者" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/agents", stranger, Agent("入侵者", "download"))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/holder-keys", stranger)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Delete, $"/api/v1/licences/{code}/holder-keys/{agent.KeyId}", stranger)).Status);
        Assert.Equal(HttpStatusCode.OK, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/credential", agent.Key)).Status);
    }

    [Theory]
    [InlineData("""{"name": "办事员", "expiresAt": "2099-01-01T00:00:00Z"}""", "scopes")]
    [InlineData("""{"name": "办事员", "scopes": [], "expiresAt": "2099-01-01T00:00:00Z"}""", "scopes")]
    [InlineData("""{"name": "办事员", "scopes": ["admin"], "expiresAt": "2099-01-01T00:00:00Z"}""", "scopes")]
    [InlineData("""{"name": "办事员", "scopes": ["sign", "sign"], "expiresAt": "2099-01-01T00:00:00Z"}""", "scopes")]
    [InlineData("""{"name": "办事员", "scopes": ["sign"]}""", "expiresAt")]
    [InlineData("""{"name": "办事员", "scopes": ["sign"], "expiresAt": "2020-01-01T00:00:00Z"}""", "expiresAt")]
    [InlineData("""{"name": "办事员", "scopes": ["sign"], "expiresAt": "2099-01-01T00:00:00Z"}""", "expiresAt")]
    [InlineData("""{"name": "办事员", "scopes": ["sign"], "expiresAt": "tomorrow"}""", "expiresAt")]
    [InlineData("""{"scopes": ["sign"], "expiresAt": "2099-01-01T00:00:00Z"}""", "name")]
    [InlineData("""{"name": "办事员", "scopes": ["sign"], "expiresAt": "2099-01-01T00:00:00Z", "kind": "owner"}""", "kind")]
    public async Task A_bad_agent_request_is_a_400_naming_the_field_and_adds_no_key(string body, string field)
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);
        using var request = service.Request(HttpMethod.Post, $"/api/v1/licences/{code}/agents", owner);
        request.Content = Json.Raw(body);

        using var response = await service.Http.SendAsync(request);
        var problem = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString()!.StartsWith(field, StringComparison.Ordinal));
        Assert.Equal(1, await HolderKeys.CountAsync(service, code, owner));
    }
}

/// <summary>Small helpers for holder-key tests.</summary>
internal static class HolderKeys
{
    public static async Task<(string KeyId, string Key)> CreateAsync(ServiceFixture service, string apiKey, string path, object body)
    {
        var (status, created, response) = await service.SendAsync(HttpMethod.Post, path, apiKey, body);
        Assert.True(status == HttpStatusCode.Created, $"{path}: {status} {created}");
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return (created.GetProperty("keyId").GetString()!, created.GetProperty("key").GetString()!);
    }

    public static async Task<int> CountAsync(ServiceFixture service, string code, string apiKey)
    {
        var (status, listed, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/holder-keys", apiKey);
        Assert.Equal(HttpStatusCode.OK, status);
        return listed.GetProperty("keys").GetArrayLength();
    }
}
