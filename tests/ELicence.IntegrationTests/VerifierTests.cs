using System.Net;
using System.Text.Json;
using ELicence.Core.Callers;
using ELicence.Core.Verifiers;

namespace ELicence.IntegrationTests;

/// <summary>Verifier organisations over HTTP: onboarding by the registrar, keys shown once, two at most, revocation refused at once.</summary>
[Collection(ServiceCollection.Name)]
public class VerifierTests(ServiceFixture service)
{
    [Fact]
    public async Task The_tendering_platform_is_onboarded_gets_a_key_and_its_receipts_name_the_organisation_and_its_kind()
    {
        var code = await service.IssueAsync();
        var platform = await OnboardAsync("阿图什市公共资源交易中心", "tendering-platform");

        var (keyStatus, key, keyResponse) = await service.SendAsync(HttpMethod.Post, $"/api/v1/verifiers/{platform}/keys", service.RegistrarKey);
        var (_, verification, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", key.GetProperty("key").GetString(), new { creditCode = code, purpose = "tender:2026-0042" });
        var (_, listed, _) = await service.SendAsync(HttpMethod.Get, "/api/v1/verifiers", service.RegistrarKey);
        var (_, keys, keysResponse) = await service.SendAsync(HttpMethod.Get, $"/api/v1/verifiers/{platform}/keys", service.RegistrarKey);

        Assert.Equal(HttpStatusCode.Created, keyStatus);
        Assert.Equal("no-store", keyResponse.Headers.CacheControl?.ToString());
        Assert.Equal(platform, key.GetProperty("verifierId").GetString());
        var receiptId = verification.GetProperty("receipt").GetProperty("id").GetString();
        var claims = (await service.SendAsync(HttpMethod.Get, $"/api/v1/receipts/{receiptId}", key.GetProperty("key").GetString())).Body.GetProperty("claims");
        Assert.Equal(platform, claims.GetProperty("verifier").GetProperty("id").GetString());
        Assert.Equal("tendering-platform", claims.GetProperty("verifier").GetProperty("kind").GetString());
        Assert.Contains(listed.GetProperty("verifiers").EnumerateArray(), v => v.GetProperty("id").GetString() == platform && v.GetProperty("kind").GetString() == "tendering-platform");
        var only = Assert.Single(keys.GetProperty("keys").EnumerateArray());
        Assert.Equal(key.GetProperty("keyId").GetString(), only.GetProperty("keyId").GetString());
        Assert.True(only.GetProperty("active").GetBoolean());
        var secret = key.GetProperty("key").GetString()!.Split('_')[2];
        Assert.DoesNotContain(secret, await keysResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bank_rotates_with_two_keys_a_third_is_refused_and_a_revoked_key_is_refused_on_its_next_request()
    {
        var code = await service.IssueAsync();
        var bank = await OnboardAsync("阿图什农村商业银行", "bank");
        var first = await IssueKeyAsync(bank);
        var second = await IssueKeyAsync(bank);

        var (thirdStatus, third, thirdResponse) = await service.SendAsync(HttpMethod.Post, $"/api/v1/verifiers/{bank}/keys", service.RegistrarKey);
        Assert.Equal(HttpStatusCode.Conflict, thirdStatus);
        Assert.Equal("application/problem+json", thirdResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:elicence:problem:limit-reached", third.GetProperty("type").GetString());
        Assert.Equal(2, third.GetProperty("limit").GetInt32());

        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(first.Key, code)).Status);
        var (revokeStatus, revoked, _) = await service.SendAsync(HttpMethod.Delete, $"/api/v1/verifiers/{bank}/keys/{first.KeyId}", service.RegistrarKey);
        Assert.Equal(HttpStatusCode.OK, revokeStatus);
        Assert.False(revoked.GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await VerifyAsync(first.Key, code)).Status);
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(second.Key, code)).Status);
        Assert.Equal(HttpStatusCode.OK, (await service.SendAsync(HttpMethod.Delete, $"/api/v1/verifiers/{bank}/keys/{first.KeyId}", service.RegistrarKey)).Status);
        var next = await IssueKeyAsync(bank);
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(next.Key, code)).Status);
    }

    [Theory]
    [InlineData("""{"name": "某银行", "kind": "insurer"}""")]
    [InlineData("""{"name": "某银行"}""")]
    [InlineData("""{"name": "Bank\u202Eevil", "kind": "bank"}""")]
    [InlineData("""{"name": "某银行", "kind": "bank", "admin": true}""")]
    public async Task A_bad_onboarding_request_is_a_400_problem_and_onboards_nobody(string body)
    {
        var before = await CountAsync();
        using var request = service.Request(HttpMethod.Post, "/api/v1/verifiers", service.RegistrarKey);
        request.Content = Json.Raw(body);

        using var response = await service.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Onboarding_repeated_with_the_same_idempotency_key_creates_one_organisation()
    {
        var before = await CountAsync();
        var body = new { name = "阿图什市重试银行", kind = "bank" };

        var first = await service.SendAsync(HttpMethod.Post, "/api/v1/verifiers", service.RegistrarKey, body, idempotencyKey: "onboard-retry-bank");
        var again = await service.SendAsync(HttpMethod.Post, "/api/v1/verifiers", service.RegistrarKey, body, idempotencyKey: "onboard-retry-bank");
        var other = await service.SendAsync(HttpMethod.Post, "/api/v1/verifiers", service.RegistrarKey, new { name = "另一家银行", kind = "bank" }, idempotencyKey: "onboard-retry-bank");

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(first.Body.GetProperty("id").GetString(), again.Body.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.Status);
        Assert.Equal(before + 1, await CountAsync());
    }

    [Theory]
    [InlineData("/api/v1/verifiers/vrf_0000000000000000000000000000ffff/keys")]
    [InlineData("/api/v1/verifiers/vrf_XYZ/keys")]
    [InlineData("/api/v1/verifiers/%27%20or%20%27%27%3D%27/keys")]
    public async Task Keys_of_an_unknown_or_malformed_organisation_are_not_found(string path)
    {
        Assert.Equal(HttpStatusCode.NotFound, (await service.SendAsync(HttpMethod.Get, path, service.RegistrarKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await service.SendAsync(HttpMethod.Post, path, service.RegistrarKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await service.SendAsync(HttpMethod.Delete, path + "/0123456789abcdef", service.RegistrarKey)).Status);
    }

    private async Task<string> OnboardAsync(string name, string kind)
    {
        var (status, body, response) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifiers", service.RegistrarKey, new { name, kind });
        Assert.Equal(HttpStatusCode.Created, status);
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal($"/api/v1/verifiers/{id}/keys", response.Headers.Location?.ToString());
        return id;
    }

    private async Task<(string KeyId, string Key)> IssueKeyAsync(string organisation)
    {
        var (status, body, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/verifiers/{organisation}/keys", service.RegistrarKey);
        Assert.Equal(HttpStatusCode.Created, status);
        return (body.GetProperty("keyId").GetString()!, body.GetProperty("key").GetString()!);
    }

    private Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> VerifyAsync(string key, string code) =>
        service.SendAsync(HttpMethod.Post, "/api/v1/verifications", key, new { creditCode = code });

    private async Task<int> CountAsync() =>
        (await service.SendAsync(HttpMethod.Get, "/api/v1/verifiers", service.RegistrarKey)).Body.GetProperty("verifiers").GetArrayLength();
}

/// <summary>The local host's demo verifiers: the same organisations at every start, a fresh key each time, never more than two active.</summary>
[Collection(ServiceCollection.Name)]
public class DevelopmentCallerTests(ServiceFixture service)
{
    [Fact]
    public async Task Every_start_keeps_the_demo_bank_and_tendering_platform_and_their_previous_key_and_revokes_older_ones()
    {
        var dir = Directory.CreateTempSubdirectory("elicence-devkeys");
        var file = Path.Combine(dir.FullName, "dev-keys.env");
        var callers = new DevelopmentCallers(
            service.Services.GetRequiredService<ApiKeyService>(),
            service.Services.GetRequiredService<VerifierService>(),
            TimeProvider.System,
            new LocalHostSettings { DevKeysFile = file });
        var starts = new List<Dictionary<string, string>>();
        for (var i = 0; i < 3; i++)
        {
            await callers.StartAsync(default);
            starts.Add(File.ReadAllLines(file).Where(l => l.StartsWith("export ", StringComparison.Ordinal))
                .Select(l => l["export ".Length..].Split('=', 2)).ToDictionary(p => p[0], p => p[1]));
        }

        dir.Delete(recursive: true);

        Assert.All(starts, s => Assert.Equal(DevelopmentCallers.DemoBankId, s["ELICENCE_BANK_ID"]));
        Assert.All(starts, s => Assert.Equal(DevelopmentCallers.DemoTenderingPlatformId, s["ELICENCE_TENDER_ID"]));
        var (_, listed, _) = await service.SendAsync(HttpMethod.Get, "/api/v1/verifiers", service.RegistrarKey);
        Assert.Equal("tendering-platform", listed.GetProperty("verifiers").EnumerateArray().Single(v => v.GetProperty("id").GetString() == DevelopmentCallers.DemoTenderingPlatformId).GetProperty("kind").GetString());
        foreach (var variable in new[] { "ELICENCE_VERIFIER_KEY", "ELICENCE_TENDER_KEY" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await StatusOfAsync(starts[0][variable])));
            Assert.NotEqual(HttpStatusCode.Unauthorized, (await StatusOfAsync(starts[1][variable])));
            Assert.NotEqual(HttpStatusCode.Unauthorized, (await StatusOfAsync(starts[2][variable])));
        }

        var (_, keys, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/verifiers/{DevelopmentCallers.DemoBankId}/keys", service.RegistrarKey);
        Assert.Equal(2, keys.GetProperty("keys").EnumerateArray().Count(k => k.GetProperty("active").GetBoolean()));
    }

    private async Task<HttpStatusCode> StatusOfAsync(string key) =>
        (await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", key, new { creditCode = "9144030071526726XG" })).Status;
}
