using ELicence.Core.Problems;
using ELicence.Functions.Http;

namespace ELicence.IntegrationTests;

/// <summary>Whatever goes wrong at the edge of the service — route, method, headers, path tricks — the answer is a problem+json.</summary>
[Collection(ServiceCollection.Name)]
public class HttpEdgeTests(ServiceFixture service)
{
    private Uri Server => service.Http.BaseAddress!;

    [Theory]
    [InlineData("/api/v1/nothing-here")]
    [InlineData("/")]
    [InlineData("/api/v2/applications")]
    public async Task An_unknown_route_is_a_404_problem(string path)
    {
        var response = await service.Http.GetAsync(path);

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("DELETE", "/api/v1/applications", "POST")]
    [InlineData("PUT", "/.well-known/jwks.json", "GET,HEAD")]
    [InlineData("POST", "/api/v1/licences/91653001MA0000015P", "GET,HEAD")]
    public async Task A_known_route_with_a_wrong_method_is_a_405_problem_that_lists_the_allowed_methods(string method, string path, string allowed)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        var response = await service.Http.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed, "method-not-allowed");
        Assert.Equal(allowed.Split(','), response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Oversized_request_headers_are_a_431_problem()
    {
        var big = "X-Padding: " + new string('a', HttpEdges.MaxRequestHeadersTotalBytes + 10);

        var response = await RawHttp.GetAsync(Server, "/.well-known/jwks.json", big);

        Assert.Equal(431, response.Status);
        Assert.StartsWith(ApiResults.ProblemContentType, response.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal("urn:elicence:problem:headers-too-large", response.Json().GetProperty("type").GetString());
        Assert.Equal(431, response.Json().GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Too_many_header_fields_are_a_431_problem()
    {
        var headers = Enumerable.Range(0, HttpEdges.MaxRequestHeaderCount + 1).Select(i => $"X-Field-{i}: {i}").ToArray();

        var response = await RawHttp.GetAsync(Server, "/.well-known/jwks.json", headers);

        Assert.Equal(431, response.Status);
        Assert.Equal("urn:elicence:problem:headers-too-large", response.Json().GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("/api/v1/licences/%2e%2e/x")]
    [InlineData("/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("/api/v1/licences/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd")]
    [InlineData("/api/v1/status-lists/%2e%2e/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("/api/v1/status-lists/revocation/..%2f..%2f..%2fetc%2fpasswd")]
    [InlineData("/..%5c..%5cwindows%5cwin.ini")]
    public async Task Encoded_dot_segments_are_a_clean_400_or_404_problem_never_a_file(string target)
    {
        var response = await RawHttp.GetAsync(Server, target, "X-API-Key: " + service.RegistrarKey);

        Assert.Contains(response.Status, new[] { 400, 404 });
        Assert.StartsWith(ApiResults.ProblemContentType, response.Header("Content-Type"), StringComparison.Ordinal);
        Assert.StartsWith(ProblemType.UriPrefix, response.Json().GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("root:", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("[fonts]", response.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/.well-known/jwks.json", null)]
    [InlineData("/api/v1/licences/{0}", "registrar")]
    [InlineData("/verify/{0}", null)]
    [InlineData("/api/v1/licences/{0}/credential", "registrar")]
    public async Task HEAD_on_a_GET_route_answers_like_GET_without_a_body(string template, string? caller)
    {
        var code = await service.IssueAsync();
        var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, code);
        var key = caller is null ? null : service.RegistrarKey;
        using var getRequest = service.Request(HttpMethod.Get, path, key);
        using var headRequest = service.Request(HttpMethod.Head, path, key);

        using var get = await service.Http.SendAsync(getRequest);
        using var head = await service.Http.SendAsync(headRequest);
        var raw = await RawHttp.SendAsync(Server, Encoding.ASCII.GetBytes($"HEAD {path} HTTP/1.1\r\n"), key is null ? [] : [Encoding.ASCII.GetBytes("X-API-Key: " + key)]);

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        Assert.Equal(get.Headers.CacheControl?.ToString(), head.Headers.CacheControl?.ToString());
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(200, raw.Status);
        Assert.Equal("", raw.Body);
    }

    [Fact]
    public async Task HEAD_on_a_route_without_GET_is_a_405_that_lists_its_methods()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, "/api/v1/applications");

        using var response = await service.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("/api/v1/x/%2e%2e/licences/{0}")]
    [InlineData("/api/v1/x/%2E%2E/licences/{0}")]
    [InlineData("/api/v1/x/.%2e/licences/{0}")]
    [InlineData("/api/v1/x/../licences/{0}")]
    [InlineData("/api/v1/%2e/licences/{0}")]
    [InlineData("/api/v1/licences/{0}/%2e%2e/{0}")]
    public async Task A_dot_segment_alias_of_a_real_path_is_refused_not_served(string alias)
    {
        var code = await service.IssueAsync();
        var direct = await RawHttp.GetAsync(Server, $"/api/v1/licences/{code}", "X-API-Key: " + service.RegistrarKey);

        var response = await RawHttp.GetAsync(Server, string.Format(System.Globalization.CultureInfo.InvariantCulture, alias, code), "X-API-Key: " + service.RegistrarKey);

        Assert.Equal(200, direct.Status);
        Assert.Equal(400, response.Status);
        Assert.Equal("urn:elicence:problem:bad-request", response.Json().GetProperty("type").GetString());
        Assert.DoesNotContain("legalRepresentative", response.Body, StringComparison.Ordinal); // not the licence
    }

    [Fact]
    public async Task An_unknown_licence_has_its_own_problem_type_unlike_a_mistyped_route()
    {
        var unknown = ELicence.Core.CreditCodes.CreditCode.Compose('9', '1', "653001", "99999998").Value;
        using var licenceRequest = service.Request(HttpMethod.Get, $"/api/v1/licences/{unknown}", service.RegistrarKey);
        using var verificationRequest = service.Request(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { creditCode = unknown });
        using var routeRequest = service.Request(HttpMethod.Get, $"/api/v1/licencez/{unknown}", service.RegistrarKey);

        var licence = await service.Http.SendAsync(licenceRequest);
        var verification = await service.Http.SendAsync(verificationRequest);
        var route = await service.Http.SendAsync(routeRequest);

        var problem = await AssertProblemAsync(licence, HttpStatusCode.NotFound, "licence-not-found");
        Assert.Equal(unknown, problem.GetProperty("creditCode").GetString());
        await AssertProblemAsync(verification, HttpStatusCode.NotFound, "licence-not-found");
        await AssertProblemAsync(route, HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("X-API-Key: caf\u00c3\u00a9")] // "café" as UTF-8 bytes
    [InlineData("Idempotency-Key: \u00ff\u00fe")]
    [InlineData("X-Note: bell\u0007")]
    public async Task Non_ASCII_bytes_in_a_header_value_are_a_400_problem_naming_the_header(string header)
    {
        var response = await RawHttp.SendAsync(Server, "GET /.well-known/jwks.json HTTP/1.1\r\n"u8.ToArray(), Encoding.Latin1.GetBytes(header));

        Assert.Equal(400, response.Status);
        Assert.StartsWith(ApiResults.ProblemContentType, response.Header("Content-Type"), StringComparison.Ordinal);
        var problem = response.Json();
        Assert.Equal("urn:elicence:problem:bad-request", problem.GetProperty("type").GetString());
        Assert.Contains(header.Split(':')[0], problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_problem_carries_the_trace_id_of_a_valid_traceparent()
    {
        using var request = service.Request(HttpMethod.Get, "/api/v1/licences/91653001MA0000015P", apiKey: null);
        request.Headers.Add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        var response = await service.Http.SendAsync(request);
        var problem = await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");

        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", problem.GetProperty("traceId").GetString());
    }

    [Theory]
    [InlineData("/api/v1/nothing-here")]
    [InlineData("/api/v1/licences/91653001MA0000015P")]
    public async Task Host_and_function_problems_both_carry_the_callers_trace_id(string path)
    {
        var response = await RawHttp.GetAsync(Server, path, "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        Assert.Equal("0af7651916cd43dd8448eb211c80319c", response.Json().GetProperty("traceId").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01")] // all-zero trace id
    [InlineData("00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01")] // upper case
    [InlineData("not a traceparent")]
    public async Task Without_a_valid_traceparent_a_problem_still_has_a_trace_id_of_its_own(string? traceparent)
    {
        using var request = service.Request(HttpMethod.Get, "/api/v1/nothing-here", apiKey: null);
        if (traceparent is not null)
        {
            request.Headers.TryAddWithoutValidation("traceparent", traceparent);
        }

        var problem = await AssertProblemAsync(await service.Http.SendAsync(request), HttpStatusCode.NotFound, "not-found");

        var traceId = problem.GetProperty("traceId").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.NotEqual(new string('0', 32), traceId);
        Assert.NotEqual("0af7651916cd43dd8448eb211c80319c", traceId);
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(ApiResults.ProblemContentType, response.Content.Headers.ContentType?.MediaType);
        var problem = await Json.ReadAsync(response);
        Assert.Equal(ProblemType.UriPrefix + type, problem.GetProperty("type").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Matches("^[0-9a-f]{32}$", problem.GetProperty("traceId").GetString());
        return problem;
    }
}

/// <summary>Every problem type of the core answers with an HTTP error status, fixed in the function app.</summary>
public class ProblemStatusTests
{
    [Fact]
    public void Every_problem_type_has_an_error_status_and_a_distinct_type_uri()
    {
        Assert.All(ProblemType.All, type => Assert.InRange(ProblemStatus.Of(type), 400, 599));
        Assert.Equal(ProblemType.All.Count, ProblemType.All.Select(t => t.Uri).Distinct().Count());
    }

    [Fact]
    public void The_type_uris_stay_what_clients_already_match_on()
    {
        Assert.Equal("urn:elicence:problem:validation", ProblemType.Validation.Uri);
        Assert.Equal("urn:elicence:problem:invalid-transition", ProblemType.InvalidTransition.Uri);
        Assert.Equal(409, ProblemStatus.Of(ProblemType.InvalidTransition));
        Assert.Equal(422, ProblemStatus.Of(ProblemType.IdempotencyKeyReused));
    }

    [Fact]
    public void A_problem_type_without_a_status_is_refused_loudly()
    {
        Assert.Throws<InvalidOperationException>(() => ProblemStatus.Of(new ProblemType("made-up", "Made up.")));
    }
}
