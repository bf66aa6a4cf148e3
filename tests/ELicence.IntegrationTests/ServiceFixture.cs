using System.Net.Sockets;
using ELicence.Core.Callers;
using ELicence.Core.Verifiers;
using ELicence.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;

namespace ELicence.IntegrationTests;

/// <summary>
/// The whole service as a user meets it: a fresh in-memory Azurite on free ports and the local host (the real function
/// classes) on a free loopback port, called over HTTP. Keys for a registrar and two verifiers are created through the real key table.
/// </summary>
public class ServiceFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;
    private WebApplication? _app;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>What the host logged (Warning and above, as <see cref="Settings"/> set).</summary>
    public CapturedLogs Logs { get; } = new();

    public StorageClients Storage => Services.GetRequiredService<StorageClients>();

    public IServiceProvider Services => _app!.Services;

    public string RegistrarKey { get; private set; } = "";

    /// <summary>A registrar key with the supervisor role: approves or rejects what the (clerk's) <see cref="RegistrarKey"/> proposed.</summary>
    public string SupervisorKey { get; private set; } = "";

    public string VerifierKey { get; private set; } = "";

    public string OtherVerifierKey { get; private set; } = "";

    /// <summary>The organisation of <see cref="VerifierKey"/> (a bank).</summary>
    public string VerifierId { get; private set; } = "";

    public string OtherVerifierId { get; private set; } = "";

    /// <summary>The one loopback port this host lets webhook subscriptions name (<c>Webhooks:AllowHttpLocalhostPort</c>): test receivers listen on it.</summary>
    public int WebhookPort { get; private set; }

    public async Task InitializeAsync()
    {
        var ports = FreePorts(4);
        WebhookPort = ports[3];
        _azurite = await AzuriteProcess.StartAsync(ports[0], ports[1], ports[2], location: null, log: null);
        _app = LocalFunctionsHost.Build(
            ["--AzureWebJobsStorage=" + AzuriteProcess.ConnectionString(ports[0], ports[1], ports[2]), $"--Webhooks:AllowHttpLocalhostPort={WebhookPort}", .. Settings],
            builder =>
            {
                builder.Logging.AddProvider(Logs);
                Configure(builder);
            });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address) };

        var keys = Services.GetRequiredService<ApiKeyService>();
        RegistrarKey = (await keys.CreateAsync(Role.Registrar, "registrar:test", "Test registrar", null, default)).Key;
        SupervisorKey = (await keys.CreateRegistrarKeyAsync("registrar:test", "Test supervisor", RegistrarRole.Supervisor, default)).Key;
        var verifiers = Services.GetRequiredService<VerifierService>();
        VerifierId = (await verifiers.CreateAsync(Caller.Registrar("registrar:test", "Test registrar"), new NewVerifierRequest("Bank A", VerifierKind.Bank), null, default)).Id;
        VerifierKey = (await verifiers.IssueKeyAsync(VerifierId, default)).Key;
        OtherVerifierId = (await verifiers.CreateAsync(Caller.Registrar("registrar:test", "Test registrar"), new NewVerifierRequest("Bank B", VerifierKind.Bank), null, default)).Id;
        OtherVerifierKey = (await verifiers.IssueKeyAsync(OtherVerifierId, default)).Key;
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    /// <summary>Stops this fixture's Azurite (an outage; its in-memory data is gone with it): the host keeps running.</summary>
    protected async Task StopStorageAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
            _azurite = null;
        }
    }

    /// <summary>The host's settings as command-line arguments; a derived fixture may add its own.</summary>
    protected virtual IEnumerable<string> Settings =>
    [
        "--LocalHost:Urls=http://127.0.0.1:0",
        "--LocalHost:StartAzurite=false",
        "--LocalHost:CreateDevKeys=false",
        "--LocalHost:QueueRetryDelay=00:00:00.100",
        "--LocalHost:QueuePollInterval=00:00:00.050",
        "--Logging:LogLevel:Default=Warning",
        // The guard's entries below Warning (a client's protocol error, a client gone): ClientProtocolErrorTests read them.
        "--Logging:LogLevel:ELicence.Functions.Http.HttpApi=Debug",
        "--StatusList:PublishDelay=00:00:00.200",
        // Every test calls from 127.0.0.1: limits high enough that only the rate-limit tests meet them.
        "--RateLimits:Anonymous:Burst=1000000",
        "--RateLimits:Objections:Burst=1000000",
        "--RateLimits:RegisterSearch:Burst=1000000",
        "--RateLimits:Registrar:Burst=1000000",
        "--RateLimits:Holder:Burst=1000000",
        "--RateLimits:Verifier:Burst=1000000",
        "--RateLimits:VerificationBatch:Burst=1000000",
        "--RateLimits:FailedAuthentication:Burst=1000000",
        // The shared verifier organisations subscribe in many tests; the limit's own test runs with a small one.
        "--Webhooks:MaxSubscriptions=1000",
    ];

    /// <summary>Lets a derived fixture change services (e.g. inject faults); the default changes nothing.</summary>
    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    public HttpRequestMessage Request(HttpMethod method, string path, string? apiKey, object? json = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (apiKey is not null)
        {
            request.Headers.Add("X-API-Key", apiKey);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (json is not null)
        {
            request.Content = JsonContent.Create(json, options: Json.Options);
        }

        return request;
    }

    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? apiKey, object? json = null, string? idempotencyKey = null)
    {
        using var request = Request(method, path, apiKey, json, idempotencyKey);
        var response = await Http.SendAsync(request);
        return (response.StatusCode, await Json.ReadAsync(response), response);
    }

    public async Task<string> SubmitAsync(object application, string? idempotencyKey = null)
    {
        var (status, body, _) = await SendAsync(HttpMethod.Post, "/api/v1/applications", RegistrarKey, application, idempotencyKey);
        Assert.Equal(HttpStatusCode.Accepted, status);
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>Polls the application until issuance has finished one way or the other (the pipeline is asynchronous by design).</summary>
    public async Task<JsonElement> WaitUntilSettledAsync(string applicationId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var (status, body, _) = await SendAsync(HttpMethod.Get, $"/api/v1/applications/{applicationId}", RegistrarKey);
            Assert.Equal(HttpStatusCode.OK, status);
            if (body.GetProperty("status").GetString() != "pending")
            {
                return body;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Application {applicationId} was still pending after 60 s.");
            await Task.Delay(50);
        }
    }

    public async Task<string> IssueAsync(object? application = null)
    {
        var settled = await WaitUntilSettledAsync(await SubmitAsync(application ?? Applications.Valid()));
        Assert.Equal("issued", settled.GetProperty("status").GetString());
        return settled.GetProperty("creditCode").GetString()!;
    }

    public async Task<string> CreateHolderKeyAsync(string code)
    {
        var (status, body, _) = await SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/holder-keys", RegistrarKey);
        Assert.Equal(HttpStatusCode.Created, status);
        return body.GetProperty("key").GetString()!;
    }

    protected static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }
}

[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "service";
}

internal static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (string.IsNullOrEmpty(text) || response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) != true)
        {
            return JsonDocument.Parse(JsonSerializer.Serialize(new { raw = text })).RootElement.Clone();
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static StringContent Raw(string body, string contentType = "application/json") => new(body, Encoding.UTF8, contentType);
}
