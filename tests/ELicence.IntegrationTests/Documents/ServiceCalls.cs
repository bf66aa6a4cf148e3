using System.Net;

namespace ELicence.IntegrationTests.Documents;

/// <summary>The few calls the document tests make over and over: a keyed GET as text or bytes, and a registrar action that must succeed.</summary>
internal static class ServiceCalls
{
    public static async Task<HttpResponseMessage> GetAsync(this ServiceFixture service, string path, string key)
    {
        using var request = service.Request(HttpMethod.Get, path, key);
        return await service.Http.SendAsync(request);
    }

    public static async Task<string> GetTextAsync(this ServiceFixture service, string path, string key)
    {
        using var response = await service.GetAsync(path, key);
        return await response.Content.ReadAsStringAsync();
    }

    public static async Task<byte[]> GetBytesAsync(this ServiceFixture service, string path, string key)
    {
        using var response = await service.GetAsync(path, key);
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>
    /// A registrar action (suspension, revocation, amendments…) that the test needs to have happened. A revocation goes the
    /// four-eyes way: the registrar (a clerk) proposes it and the supervisor approves.
    /// </summary>
    public static async Task ActAsync(this ServiceFixture service, string code, string action, object body)
    {
        if (action == "revocation")
        {
            await service.RevokeWithApprovalAsync(code, body);
            return;
        }

        var (status, json, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/{action}", service.RegistrarKey, body);
        Assert.True(status == HttpStatusCode.OK, $"{action}: {(int)status} {json}");
    }

    /// <summary>Proposes the revocation as the registrar and approves it as the supervisor; answers the approved proposal.</summary>
    public static async Task<JsonElement> RevokeWithApprovalAsync(this ServiceFixture service, string code, object body)
    {
        var (proposed, proposal, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/revocation-proposals", service.RegistrarKey, body);
        Assert.True(proposed == HttpStatusCode.Created, $"revocation proposal: {(int)proposed} {proposal}");
        var id = proposal.GetProperty("id").GetString();
        var (approved, decided, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/proposals/{id}/approval", service.SupervisorKey);
        Assert.True(approved == HttpStatusCode.OK, $"approval: {(int)approved} {decided}");
        return decided;
    }

    public static Task AmendDomicileAsync(this ServiceFixture service, string code) =>
        service.ActAsync(code, "amendments", new { domicile = "阿图什市光明路 1 号", reason = "住所变更" });
}
