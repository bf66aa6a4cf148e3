using ELicence.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ELicence.IntegrationTests.Http;

/// <summary>What an [Endpoint] declares is what the guard does: headers on answers only, and no HTTP function without a declaration.</summary>
[Collection(ServiceCollection.Name)]
public class EndpointDeclarationTests(ServiceFixture service)
{
    [Fact]
    public async Task A_public_resource_answers_with_its_declared_cache_and_cors_headers()
    {
        var response = await service.Http.GetAsync("/api/v1/log/key");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("public, max-age=3600", response.Headers.CacheControl?.ToString());
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Fact]
    public async Task A_problem_from_a_cacheable_public_endpoint_carries_neither_its_cache_nor_its_cors_header()
    {
        var response = await service.Http.GetAsync("/api/v1/register/files/snapshot-nothing.jsonl.gz");

        Assert.True((int)response.StatusCode >= 400, $"expected a problem, got {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Headers.CacheControl);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_secret_shown_once_is_answered_no_store_as_declared()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/verifiers/{service.VerifierId}/keys");
        request.Headers.Add("X-API-Key", service.RegistrarKey);

        var response = await service.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public void An_HTTP_function_without_an_endpoint_declaration_is_refused_at_start()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => HttpEndpoints.Validate([typeof(Undeclared)]));

        Assert.Contains("Undeclared.Get has an [HttpTrigger] but no [Endpoint]", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_declared_methods_of_one_name_in_a_class_are_refused_at_start()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => HttpEndpoints.Validate([typeof(Overloaded)]));

        Assert.Contains("Overloaded.Get is declared an [Endpoint] but its name is not unique", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_function_of_the_service_declares_its_endpoint()
    {
        HttpEndpoints.Validate(typeof(HttpApi).Assembly);
    }

    public sealed class Undeclared
    {
        [Function("Undeclared")]
        public static IActionResult Get([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest req) => new OkResult();
    }

    public sealed class Overloaded
    {
        [Function("Overloaded")]
        [Endpoint(Access.Anyone)]
        public static IActionResult Get([HttpTrigger(AuthorizationLevel.Anonymous, "get")] HttpRequest req) => new OkResult();

        public static IActionResult Get(int unused) => new OkResult();
    }
}
