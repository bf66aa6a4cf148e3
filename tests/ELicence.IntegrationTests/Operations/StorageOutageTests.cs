using System.Net.Http;
using System.Net.Sockets;
using Azure;
using ELicence.Storage;

namespace ELicence.IntegrationTests.Operations;

/// <summary>A host whose storage has gone away after a licence was issued: it keeps running and answers 503.</summary>
public sealed class StorageOutageFixture : ServiceFixture, IAsyncLifetime
{
    public string Code { get; private set; } = "";

    public string Credential { get; private set; } = "";

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        Code = await IssueAsync();
        var (_, _, response) = await SendAsync(HttpMethod.Get, $"/api/v1/licences/{Code}/credential", RegistrarKey);
        Credential = await response.Content.ReadAsStringAsync();
        await StopStorageAsync();
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class StorageOutageCollection : ICollectionFixture<StorageOutageFixture>
{
    public const string Name = "storage-outage";
}

/// <summary>
/// While storage cannot be reached every request is answered, quickly and honestly: 503 problem+json
/// (urn:elicence:problem:unavailable) with Retry-After — never a 500, never a hang (the SDK's retries are bounded).
/// </summary>
[Collection(StorageOutageCollection.Name)]
public class StorageOutageTests(StorageOutageFixture service)
{
    public static TheoryData<string, string, string?> Requests => new()
    {
        { "GET", "/api/v1/licences/{code}", "registrar" },
        { "GET", "/api/v1/licences/{code}/history", "registrar" },
        { "POST", "/api/v1/verifications", "verifier" },
        { "POST", "/api/v1/verifications/batch", "verifier" },
        { "POST", "/api/v1/applications", "registrar" },
        { "POST", "/api/v1/licences/{code}/suspension", "registrar" },
        { "GET", "/api/v1/register/changes", "verifier" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task A_request_while_storage_is_down_is_answered_503_problem_with_Retry_After(string method, string path, string? caller)
    {
        var key = caller == "registrar" ? service.RegistrarKey : service.VerifierKey;
        object? body = (method, path) switch
        {
            ("POST", "/api/v1/verifications") => new { creditCode = service.Code },
            ("POST", "/api/v1/verifications/batch") => new { items = new object[] { new { creditCode = service.Code }, new { credential = service.Credential } } },
            ("POST", "/api/v1/applications") => Applications.Valid($"outage {Guid.NewGuid():N}"),
            ("POST", _) => new { reasonCode = "annual-report-not-filed", reason = "未按期公示年度报告" },
            _ => null,
        };
        using var request = service.Request(new HttpMethod(method), path.Replace("{code}", service.Code, StringComparison.Ordinal), key, body, method == "POST" ? Guid.NewGuid().ToString("N") : null);
        // A hang is a failure too: far less than the client's default 100 s.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(45));

        using var response = await service.Http.SendAsync(request, patience.Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(StorageFailures.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        var problem = await Json.ReadAsync(response);
        Assert.Equal("urn:elicence:problem:unavailable", problem.GetProperty("type").GetString());
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task The_public_page_while_storage_is_down_is_a_503_page_with_Retry_After()
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(45));

        using var response = await service.Http.GetAsync(new Uri($"/verify/{service.Code}?lang=en", UriKind.Relative), patience.Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
    }
}

/// <summary>Which storage failures count as "unavailable" (503) and which remain the service's own (500 or a problem of their own).</summary>
public class StorageFailuresTests
{
    public static TheoryData<Exception, bool> Failures => new()
    {
        { new RequestFailedException(0, "Connection refused", new HttpRequestException("Connection refused", new SocketException(111))), true },
        { new AggregateException(new RequestFailedException(0, "refused", new HttpRequestException("refused")), new RequestFailedException(0, "reset", new IOException("reset", new SocketException(104)))), true },
        { new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout", new TimeoutException()), true },
        { new RequestFailedException(503, "Server busy"), true },
        { new RequestFailedException(500, "Internal error"), true },
        { new RequestFailedException(408, "Timeout"), true },
        { new RequestFailedException(409, "Conflict"), false },
        { new RequestFailedException(412, "Condition not met"), false },
        { new RequestFailedException(404, "Not found"), false },
        { new AggregateException(new RequestFailedException(0, "refused", new HttpRequestException("refused")), new InvalidOperationException("bug")), false },
        { new InvalidOperationException("a bug of the service"), false },
        { new TaskCanceledException("cancelled by the caller"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Transport_errors_timeouts_and_storage_5xx_are_unavailable_anything_else_is_not(Exception failure, bool unavailable) =>
        Assert.Equal(unavailable, StorageFailures.IsUnavailable(failure));
}
