using System.Net.Http.Headers;

namespace ELicence.IntegrationTests;

/// <summary>
/// Every write route reads its body with the one strict decoder: bytes that are not UTF-8 are a 400 naming the member,
/// and nothing is stored (never "A�(�B" signed into the register, as an amendment once did).
/// </summary>
[Collection(ServiceCollection.Name)]
public class InvalidUtf8Tests(ServiceFixture service)
{
    private const string Bad = "\u0001BAD\u0001"; // where the body gets its invalid bytes
    private static readonly byte[] InvalidBytes = [0xC3, 0x28, 0xA9];
    private static readonly OncePerRun<Target> Shared = new();

    public static TheoryData<string, string, string, string> WriteRoutes() => new()
    {
        { "registrar", "/api/v1/applications", $"{{\"name\":\"A{Bad}B\"}}", "name" },
        { "registrar", "/api/v1/licences/{code}/amendments", $"{{\"reason\":\"更正\",\"name\":\"A{Bad}B\"}}", "name" },
        { "registrar", "/api/v1/licences/{code}/amendments", $"{{\"reason\":\"更正\",\"english\":{{\"name\":\"A{Bad}B\"}}}}", "english.name" },
        { "registrar", "/api/v1/licences/{code}/suspension", $"{{\"reasonCode\":\"annual-report-not-filed\",\"reason\":\"{Bad}\"}}", "reason" },
        { "registrar", "/api/v1/licences/{code}/reinstatement", $"{{\"reason\":\"{Bad}\"}}", "reason" },
        { "registrar", "/api/v1/licences/{code}/revocation", $"{{\"reason\":\"{Bad}\"}}", "reason" },
        { "registrar", "/api/v1/licences/{code}/deregistration", $"{{\"reason\":\"{Bad}\"}}", "reason" },
        { "registrar", "/api/v1/licences/{code}/permits", $"{{\"permitType\":\"{Bad}\"}}", "permitType" },
        { "registrar", "/api/v1/licences/{code}/objections/obj_01a22433fdec70589e49bc6e03fae180/decision", $"{{\"outcome\":\"dismissed\",\"reason\":\"{Bad}\"}}", "reason" },
        { "registrar", "/api/v1/licences/{code}/holder-keys", $"{{\"name\":\"{Bad}\"}}", "name" },
        { "registrar", "/api/v1/verifiers", $"{{\"name\":\"{Bad}\",\"kind\":\"bank\"}}", "name" },
        { "registrar", "/api/v1/keys/rotations", $"{{\"alg\":\"{Bad}\"}}", "alg" },
        { "registrar", "/api/v1/keys/no-such-key/compromise", $"{{\"reason\":\"{Bad}\"}}", "reason" },
        { "anonymous", "/api/v1/deregistration-notices/{code}/objections", $"{{\"name\":\"债权人\",\"contact\":\"x@example.com\",\"grounds\":\"{Bad}\"}}", "grounds" },
        { "owner", "/api/v1/licences/{code}/administrators", $"{{\"name\":\"{Bad}\"}}", "name" },
        { "owner", "/api/v1/licences/{code}/agents", $"{{\"name\":\"{Bad}\",\"scopes\":[\"sign\"]}}", "name" },
        { "owner", "/api/v1/licences/{code}/agents", $"{{\"name\":\"代理人\",\"scopes\":[\"sign\",\"{Bad}\"]}}", "scopes[1]" },
        { "owner", "/api/v1/licences/{code}/signatures", $"{{\"documentSha256\":\"{new string('a', 64)}\",\"documentName\":\"{Bad}.pdf\",\"purpose\":\"contract\"}}", "documentName" },
        { "owner", "/api/v1/licences/{code}/presentations", $"{{\"audience\":\"{Bad}\"}}", "audience" },
        { "owner", "/api/v1/licences/{code}/sd-jwt-vcs", $"{{\"jwk\":{{\"kty\":\"OKP\",\"crv\":\"{Bad}\"}}}}", "jwk.crv" },
        { "verifier", "/api/v1/verifications", $"{{\"creditCode\":\"{{code}}\",\"purpose\":\"{Bad}\"}}", "purpose" },
        { "verifier", "/api/v1/verifications/batch", $"{{\"purpose\":\"{Bad}\",\"items\":[]}}", "purpose" },
        { "verifier", "/api/v1/signatures/verifications", $"{{\"signature\":\"{Bad}\"}}", "signature" },
        { "verifier", "/api/v1/webhooks", $"{{\"url\":\"https://hooks.example/{Bad}\",\"events\":[\"licence.revoked\"]}}", "url" },
        { "verifier", "/api/v1/webhooks/{webhookId}/codes", $"{{\"add\":[\"{Bad}\"]}}", "add[0]" },
    };

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task Invalid_utf8_in_a_write_body_is_a_400_naming_the_member_and_nothing_is_stored(string caller, string path, string body, string field)
    {
        var target = await Shared.GetAsync(() => Target.CreateAsync(service));
        var before = await StateAsync(target);
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Fill(path)) { Content = new ByteArrayContent(Bytes(target.Fill(body))) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (target.KeyOf(caller) is { } key)
        {
            request.Headers.Add("X-API-Key", key);
        }

        using var response = await service.Http.SendAsync(request);
        var problem = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("urn:elicence:problem:validation", problem.GetProperty("type").GetString());
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Contains("not valid UTF-8", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync(target));
    }

    private static byte[] Bytes(string body)
    {
        var parts = body.Split(Bad);
        return [.. parts.SelectMany((p, i) => i == 0 ? Encoding.UTF8.GetBytes(p) : [.. InvalidBytes, .. Encoding.UTF8.GetBytes(p)])];
    }

    /// <summary>What any of the routes could change, read back: the licence, its keys and usage, verifiers, webhooks, signing keys, applications and receipts.</summary>
    private async Task<string> StateAsync(Target target)
    {
        var reads = new[]
        {
            ($"/api/v1/licences/{target.Code}", service.RegistrarKey),
            ($"/api/v1/licences/{target.Code}/permits", service.RegistrarKey),
            ($"/api/v1/licences/{target.Code}/history", service.RegistrarKey),
            ($"/api/v1/licences/{target.Code}/holder-keys", service.RegistrarKey),
            ($"/api/v1/licences/{target.Code}/objections", service.RegistrarKey),
            ($"/api/v1/licences/{target.Code}/usage", service.RegistrarKey),
            ("/api/v1/verifiers", service.RegistrarKey),
            ("/api/v1/keys", service.RegistrarKey),
            ("/api/v1/webhooks", service.VerifierKey),
            ($"/api/v1/webhooks/{target.WebhookId}/codes", service.VerifierKey),
        };
        var state = new StringBuilder((await service.SnapshotAsync()).ToString());
        foreach (var (path, key) in reads)
        {
            var (status, body, _) = await service.SendAsync(HttpMethod.Get, path, key);
            state.Append('\n').Append(path).Append(' ').Append((int)status).Append(' ').Append(body.GetRawText());
        }

        return state.ToString();
    }

    private sealed record Target(string Code, string Owner, string WebhookId, ServiceFixture Service)
    {
        public static async Task<Target> CreateAsync(ServiceFixture service)
        {
            var code = await service.IssueAsync(Applications.Valid("阿图什市编码检查有限公司"));
            var owner = await service.CreateHolderKeyAsync(code);
            var (_, webhook, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/webhooks", service.VerifierKey, new { url = $"http://127.0.0.1:{service.WebhookPort}/hooks/utf8", events = new[] { "licence.revoked" }, creditCodes = new[] { code } });
            return new Target(code, owner, webhook.GetProperty("webhook").GetProperty("id").GetString()!, service);
        }

        public string Fill(string text) => text.Replace("{code}", Code, StringComparison.Ordinal).Replace("{webhookId}", WebhookId, StringComparison.Ordinal);

        public string? KeyOf(string caller) => caller switch
        {
            "registrar" => Service.RegistrarKey,
            "verifier" => Service.VerifierKey,
            "owner" => Owner,
            _ => null,
        };
    }
}
