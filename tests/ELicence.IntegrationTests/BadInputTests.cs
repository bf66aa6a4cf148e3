namespace ELicence.IntegrationTests;

/// <summary>Bad input gets a 4xx problem+json that says what is wrong, and nothing is stored.</summary>
[Collection(ServiceCollection.Name)]
public class BadInputTests(ServiceFixture service)
{
    public static TheoryData<string, string, string, HttpStatusCode, string> BadApplications => new()
    {
        { "malformed JSON", "{\"name\": ", "application/json", HttpStatusCode.BadRequest, "malformed-json" },
        { "not an object", "[]", "application/json", HttpStatusCode.BadRequest, "malformed-json" },
        { "null", "null", "application/json", HttpStatusCode.BadRequest, "malformed-json" },
        { "form content type", "name=x", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type" },
        { "text content type", "{}", "text/plain", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type" },
        { "empty object", "{}", "application/json", HttpStatusCode.BadRequest, "validation" },
        { "oversized", "{\"name\":\"" + new string('x', 70_000) + "\"}", "application/json", HttpStatusCode.RequestEntityTooLarge, "payload-too-large" },
    };

    [Theory]
    [MemberData(nameof(BadApplications))]
    public async Task A_bad_application_body_is_refused_with_a_problem_and_stores_nothing(string what, string body, string contentType, HttpStatusCode expected, string type)
    {
        var before = await service.SnapshotAsync();
        using var request = service.Request(HttpMethod.Post, "/api/v1/applications", service.RegistrarKey);
        request.Content = Json.Raw(body, contentType);

        var response = await service.Http.SendAsync(request);
        var problem = await Json.ReadAsync(response);

        Assert.True(expected == response.StatusCode, what);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:elicence:problem:" + type, problem.GetProperty("type").GetString());
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        Assert.Equal(before, await service.SnapshotAsync());
    }

    [Theory]
    [InlineData("entityType", "bank", "entityType")]
    [InlineData("registeredCapital", "a lot", "registeredCapital")]
    [InlineData("establishedOn", "28/11/2026", "establishedOn")]
    [InlineData("establishedOn", "2999-01-01", "establishedOn")] // after the date of issue
    [InlineData("name", "", "name")]
    [InlineData("operatingTerm", null, "operatingTerm")]
    public async Task An_invalid_field_is_named_in_the_problem(string member, object? value, string field)
    {
        var before = await service.SnapshotAsync();

        var (status, problem, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/applications", service.RegistrarKey, Applications.With(member, value));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("urn:elicence:problem:validation", problem.GetProperty("type").GetString());
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
        Assert.Equal(before, await service.SnapshotAsync());
    }

    [Fact]
    public async Task A_nested_field_error_names_the_full_path()
    {
        var (status, problem, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/applications", service.RegistrarKey,
            Applications.With("registeredCapital", new { amount = 100, currency = "RMB1" }));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("registeredCapital.currency", problem.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    private static readonly JsonSerializerOptions UnescapedJson = new(Json.Options) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static TheoryData<string, string, string, string> LooselyTypedBodies
    {
        get
        {
            var valid = JsonSerializer.Serialize(Applications.Valid(), UnescapedJson);
            string Application(string member, string json) => valid.Insert(valid.Length - 1, $",\"{member}\":{json}");
            string Replace(string from, string to) => valid.Replace(from, to, StringComparison.Ordinal);
            const string Code = "9144030071526726XG";
            return new()
            {
                { "registrar", "/api/v1/applications", Replace("\"amount\":1000000", "\"amount\":\"1000000\""), "registeredCapital.amount" },
                { "registrar", "/api/v1/applications", Replace("\"amount\":1000000", "\"amout\":1000000"), "registeredCapital.amout" },
                { "registrar", "/api/v1/applications", Application("nickname", "\"x\""), "nickname" },
                { "registrar", "/api/v1/applications", Replace("\"limited-liability-company\"", "\"LimitedLiabilityCompany\""), "entityType" },
                { "registrar", "/api/v1/applications", Replace("\"limited-liability-company\"", "\"partnership, limited-liability-company\""), "entityType" },
                { "registrar", "/api/v1/applications", Replace("\"limited-liability-company\"", "1"), "entityType" },
                { "registrar", "/api/v1/applications", Replace("\"establishedOn\":\"2026-11-02\"", "\"establishedOn\":\"2026-11-02T00:00:00\""), "establishedOn" },
                { "registrar", "/api/v1/applications", Replace("\"name\":\"阿图什市天山果业有限公司\"", "\"name\":12345"), "name" },
                { "registrar", "/api/v1/applications", Replace("\"entityType\"", "\"EntityType\""), "EntityType" },
                { "registrar", "/api/v1/applications", Application("domicile", "\"另一个住所\""), "domicile" },
                { "registrar", "/api/v1/applications", Replace("\"currency\":\"CNY\"", "\"currency\":\"CNY\",\"currency\":\"USD\""), "registeredCapital.currency" },
                { "registrar", $"/api/v1/licences/{Code}/amendments", "{\"domicile\": 5, \"reason\": \"住所变更\"}", "domicile" },
                { "registrar", $"/api/v1/licences/{Code}/amendments", "{\"domcile\": \"阿图什市光明路 1 号\", \"reason\": \"住所变更\"}", "domcile" },
                { "registrar", $"/api/v1/licences/{Code}/amendments", "{\"registeredCapital\": {\"amount\": \"2e6\", \"currency\": \"CNY\"}}", "registeredCapital.amount" },
                { "registrar", $"/api/v1/licences/{Code}/suspension", "{\"reasonCode\": \"AnnualReportNotFiled\", \"reason\": \"x\"}", "reasonCode" },
                { "registrar", $"/api/v1/licences/{Code}/revocation-proposals", "{\"reason\": \"x\", \"effectiveOn\": 20261128}", "effectiveOn" },
                { "verifier", "/api/v1/verifications", $"{{\"creditCode\": \"{Code}\", \"purpose\": \"account-opening\", \"urgent\": true}}", "urgent" },
                { "verifier", "/api/v1/verifications", "{\"credential\": 12345}", "credential" },
                { "verifier", "/api/v1/verifications", $"{{\"creditCode\": \"{Code}\", \"creditCode\": \"91653001MA0000015P\"}}", "creditCode" },
            };
        }
    }

    [Theory]
    [MemberData(nameof(LooselyTypedBodies))]
    public async Task A_write_accepts_only_documented_members_of_documented_types_and_names_the_offending_one(string role, string path, string body, string field)
    {
        var before = await service.SnapshotAsync();
        using var request = service.Request(HttpMethod.Post, path, role == "registrar" ? service.RegistrarKey : service.VerifierKey);
        request.Content = Json.Raw(body);

        var response = await service.Http.SendAsync(request);
        var problem = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:elicence:problem:validation", problem.GetProperty("type").GetString());
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(before, await service.SnapshotAsync());
    }

    [Fact]
    public async Task An_unknown_member_is_explained_with_the_members_there_are()
    {
        using var request = service.Request(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey);
        request.Content = Json.Raw("{\"creditcode\": \"9144030071526726XG\"}");

        var problem = await Json.ReadAsync(await service.Http.SendAsync(request));

        var message = problem.GetProperty("errors")[0].GetProperty("message").GetString();
        Assert.Contains("not a member", message, StringComparison.Ordinal);
        Assert.Contains("creditCode", message, StringComparison.Ordinal);
    }

    public static TheoryData<object, HttpStatusCode, string?> BadVerifications => new()
    {
        { new { }, HttpStatusCode.BadRequest, "credential" },
        { new { creditCode = "91653001MA000001" }, HttpStatusCode.BadRequest, "creditCode" },
        { new { creditCode = "9144030071526726XH" }, HttpStatusCode.BadRequest, "creditCode" },
        { new { creditCode = "91653001MA0000015P", credential = "a.b.c" }, HttpStatusCode.BadRequest, "credential" },
        { new { credential = "not a token" }, HttpStatusCode.BadRequest, "credential" },
        { new { creditCode = "9144030071526726XG", purpose = "Account Opening!" }, HttpStatusCode.BadRequest, "purpose" },
        { new { creditCode = "9144030071526726XG" }, HttpStatusCode.NotFound, null }, // valid, but not in this register
    };

    [Theory]
    [MemberData(nameof(BadVerifications))]
    public async Task A_bad_verification_request_is_refused_and_leaves_no_receipt(object body, HttpStatusCode expected, string? field)
    {
        var before = await service.SnapshotAsync();

        var (status, problem, response) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, body);

        Assert.Equal(expected, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null)
        {
            Assert.Equal(field, problem.GetProperty("errors")[0].GetProperty("field").GetString());
        }

        Assert.Equal(before, await service.SnapshotAsync());
    }

    [Theory]
    [InlineData("/api/v1/licences/9144030071526726XG", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/licences/not-a-code", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/licences/9144030071526726XG/credential", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/applications/app_00000000000000000000000000000000", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/applications/..%2F..%2Fetc", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/receipts/rcpt_00000000000000000000000000000000", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/receipts/whatever", HttpStatusCode.NotFound)]
    public async Task Unknown_or_malformed_ids_are_4xx_problems_never_500(string path, HttpStatusCode expected)
    {
        var (status, problem, response) = await service.SendAsync(HttpMethod.Get, path, service.RegistrarKey);

        Assert.Equal(expected, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(JsonValueKind.String, problem.GetProperty("type").ValueKind);
    }
}
