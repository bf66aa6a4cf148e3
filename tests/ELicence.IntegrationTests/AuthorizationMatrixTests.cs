using ELicence.Functions.Composition;

namespace ELicence.IntegrationTests;

/// <summary>
/// Who may call what, as data: authorization-matrix.json has one row per HTTP route (method + route template) with the
/// status every kind of caller must get. The routes come from the function catalogue, so a new route without a row, or a
/// row for a route that is gone, fails here. Requests run over HTTP against real resources (an issued licence, its holder
/// key, a receipt of verifier A).
/// </summary>
[Collection(ServiceCollection.Name)]
public class AuthorizationMatrixTests(ServiceFixture service)
{
    private const string MatrixFile = "tests/ELicence.IntegrationTests/authorization-matrix.json";
    private static readonly OncePerRun<Resources> Shared = new();

    public static TheoryData<string> Routes() => [.. Matrix().Select(r => r.Route)];

    [Fact]
    public void Every_route_has_a_row_and_every_row_names_a_route()
    {
        var routes = CatalogueRoutes();
        var rows = Matrix();

        Assert.Empty(routes.Except(rows.Select(r => r.Route)));                                     // a route without a row
        Assert.Empty(rows.Where(r => r.Pending is null).Select(r => r.Route).Except(routes));        // a row for no route
        Assert.Equal(rows.Count, rows.Select(r => r.Route).Distinct().Count());                     // one row per route
        Assert.All(rows, r => Assert.Equal(Callers.Order(), r.Expect.Keys.Order()));                // every caller, named exactly
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Each_caller_gets_the_status_the_matrix_states(string route)
    {
        var row = Matrix().Single(r => r.Route == route);
        if (!CatalogueRoutes().Contains(route))
        {
            Assert.NotNull(row.Pending); // a row for a route another branch adds: nothing to call yet
            return;
        }

        var resources = await Shared.GetAsync(() => Resources.CreateAsync(service));
        var failures = new List<string>();
        foreach (var (caller, expected) in row.Expect)
        {
            using var request = new HttpRequestMessage(new HttpMethod(route.Split(' ')[0]), resources.Fill(row.Path));
            if (resources.KeyOf(caller) is { } key)
            {
                request.Headers.TryAddWithoutValidation("X-API-Key", key);
            }

            if (row.Body is { } body)
            {
                request.Content = new StringContent(resources.Fill(body), Encoding.UTF8, "application/json");
            }

            using var response = await service.Http.SendAsync(request);
            var actual = (int)response.StatusCode;
            if (actual != expected)
            {
                failures.Add($"{caller}: expected {expected}, got {actual} {await response.Content.ReadAsStringAsync()}");
            }
            else if (actual is 401 or 403 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{caller}: a {actual} must be application/problem+json");
            }
        }

        Assert.True(failures.Count == 0, $"{route}:\n" + string.Join("\n", failures));
    }

    private static readonly string[] Callers =
    [
        "anonymous", "malformedKey", "wrongSecret", "registrar", "supervisor", "verifier", "otherVerifier", "holder", "otherHolder",
        "administrator", "agentDownload", "agentPresent", "agentSign", "agentViewUsage", "agentNone",
    ];

    private static HashSet<string> CatalogueRoutes()
    {
        var catalog = FunctionCatalog.Discover(typeof(ServiceRegistration).Assembly, HostJson.Load(Path.Combine(AppContext.BaseDirectory, "host.json")));
        return [.. catalog.Functions
            .Select(f => f.Trigger)
            .OfType<HttpFunctionTrigger>()
            .SelectMany(t => t.Methods.Where(m => m != "HEAD").Select(m => $"{m} /{t.Route}"))];
    }

    private static List<Row> Matrix()
    {
        var path = RepositoryFiles.Find(MatrixFile) ?? throw new FileNotFoundException("The authorization matrix is missing.", MatrixFile);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return [.. doc.RootElement.GetProperty("rows").EnumerateArray().Select(r => new Row(
            r.GetProperty("route").GetString()!,
            r.GetProperty("path").GetString()!,
            r.TryGetProperty("body", out var body) ? body.GetRawText() : null,
            r.TryGetProperty("pending", out var pending) ? pending.GetString() : null,
            r.GetProperty("expect").EnumerateObject().ToDictionary(e => e.Name, e => e.Value.GetInt32())))];
    }

    private sealed record Row(string Route, string Path, string? Body, string? Pending, Dictionary<string, int> Expect);

    /// <summary>The real things the matrix's placeholders and callers stand for.</summary>
    private sealed record Resources(IReadOnlyDictionary<string, string> Values, IReadOnlyDictionary<string, string?> Keys)
    {
        public string Fill(string text) => Values.Aggregate(text, (t, v) => t.Replace("{" + v.Key + "}", v.Value, StringComparison.Ordinal));

        public string? KeyOf(string caller) => Keys.TryGetValue(caller, out var key) ? key : throw new KeyNotFoundException($"Unknown caller '{caller}' in the matrix.");

        public static async Task<Resources> CreateAsync(ServiceFixture service)
        {
            var applicationId = await service.SubmitAsync(Applications.Valid("阿图什市权限矩阵甲有限公司"));
            var settled = await service.WaitUntilSettledAsync(applicationId);
            var code = settled.GetProperty("creditCode").GetString()!;
            var otherCode = await service.IssueAsync(Applications.Valid("阿图什市权限矩阵乙有限公司"));
            var (_, verification, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { creditCode = code });
            var (_, organisation, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifiers", service.RegistrarKey, new { name = "权限矩阵核验机构", kind = "other" });
            var (_, webhook, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/webhooks", service.VerifierKey, new { url = $"http://127.0.0.1:{service.WebhookPort}/hooks/matrix", events = new[] { "licence.revoked" }, creditCodes = new[] { code } });
            var (_, deletable, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/webhooks", service.VerifierKey, new { url = $"http://127.0.0.1:{service.WebhookPort}/hooks/matrix-delete", events = new[] { "licence.revoked" }, creditCodes = new[] { code } });
            await WaitUntilPublishedAsync(service, "/api/v1/status-lists/revocation/0");
            var receiptId = verification.GetProperty("receipt").GetProperty("id").GetString()!;
            // The receipt reaches the transparency log through the relay and the sequencer, seconds after the answer.
            await Eventually.PollAsync(
                async () => (await service.SendAsync(HttpMethod.Get, $"/api/v1/receipts/{receiptId}/proof", service.VerifierKey)).Item1,
                status => status == System.Net.HttpStatusCode.OK,
                "sequenced into the log");
            var owner = await service.CreateHolderKeyAsync(code);
            var holderKeys = await HolderKeysAsync(service, code, owner);
            return new Resources(
                new Dictionary<string, string>
                {
                    ["code"] = code,
                    ["otherCode"] = otherCode,
                    ["applicationId"] = applicationId,
                    ["receiptId"] = receiptId,
                    ["objectionId"] = "obj_01a22433fdec70589e49bc6e03fae180",
                    ["verifierId"] = organisation.GetProperty("id").GetString()!,
                    ["webhookId"] = webhook.GetProperty("webhook").GetProperty("id").GetString()!,
                    ["deletableWebhookId"] = deletable.GetProperty("webhook").GetProperty("id").GetString()!,
                },
                new Dictionary<string, string?>
                {
                    ["anonymous"] = null,
                    ["malformedKey"] = "elk_abcd/efghijklmno_x",
                    ["wrongSecret"] = service.RegistrarKey[..21] + new string('A', 43),
                    ["registrar"] = service.RegistrarKey,
                    ["supervisor"] = service.SupervisorKey,
                    ["verifier"] = service.VerifierKey,
                    ["otherVerifier"] = service.OtherVerifierKey,
                    ["holder"] = owner,
                    ["otherHolder"] = await service.CreateHolderKeyAsync(otherCode),
                    ["administrator"] = holderKeys["administrator"],
                    ["agentDownload"] = holderKeys["download"],
                    ["agentPresent"] = holderKeys["present"],
                    ["agentSign"] = holderKeys["sign"],
                    ["agentViewUsage"] = holderKeys["view-usage"],
                    ["agentNone"] = holderKeys["none"],
                });
        }

        /// <summary>
        /// An administrator and one agent per scope, made over HTTP by the owner as a business would; and an agent granted
        /// no scope, which the API refuses to make, written through the key service the API uses.
        /// </summary>
        private static async Task<Dictionary<string, string>> HolderKeysAsync(ServiceFixture service, string code, string owner)
        {
            var (status, admin, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/administrators", owner, new { name = "矩阵管理员" });
            Assert.Equal(HttpStatusCode.Created, status);
            var keys = new Dictionary<string, string> { ["administrator"] = admin.GetProperty("key").GetString()! };
            foreach (var scope in new[] { "download", "present", "sign", "view-usage" })
            {
                var (created, agent, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/agents", owner, new { name = "矩阵代理人 " + scope, scopes = new[] { scope }, expiresAt = DateTimeOffset.UtcNow.AddDays(30) });
                Assert.Equal(HttpStatusCode.Created, created);
                keys[scope] = agent.GetProperty("key").GetString()!;
            }

            var spec = new ELicence.Core.Callers.HolderKeySpec(ELicence.Core.CreditCodes.CreditCode.FromStored(code), "矩阵无权代理人", ELicence.Core.Callers.HolderKind.Agent, [], DateTimeOffset.UtcNow.AddDays(30));
            keys["none"] = (await service.Services.GetRequiredService<ELicence.Core.Callers.ApiKeyService>().CreateHolderKeyAsync(spec, default)).Key;
            return keys;
        }

        /// <summary>The status list is published a moment after issuance (a debounced queue): wait for it rather than race it.</summary>
        private static async Task WaitUntilPublishedAsync(ServiceFixture service, string path)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((await service.SendAsync(HttpMethod.Get, path, null)).Status != HttpStatusCode.OK)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{path} was not published within 60 s.");
                await Task.Delay(50);
            }
        }
    }
}
