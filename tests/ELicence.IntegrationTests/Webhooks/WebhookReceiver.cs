using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ELicence.IntegrationTests.Webhooks;

/// <summary>One request the receiver got: its Standard Webhooks headers and raw body, and the service's clock when it came.</summary>
public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, string Body, DateTimeOffset ServiceNow)
{
    public JsonElement Payload => JsonDocument.Parse(Body).RootElement;

    public int Sequence => Payload.GetProperty("data").GetProperty("sequence").GetInt32();
}

/// <summary>
/// A real HTTP receiver (Kestrel on a free loopback port) that records every request and answers as the test says:
/// by default 204; a test makes it fail on purpose, answer slowly, or redirect.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>The status of the next answer, from what was received (default 204).</summary>
    public Func<ReceivedWebhook, int> Answer { get; set; } = _ => StatusCodes.Status204NoContent;

    /// <summary>A body to send with every answer (to check that the service never keeps or shows it).</summary>
    public string AnswerBody { get; set; } = "";

    public TimeSpan AnswerDelay { get; set; } = TimeSpan.Zero;

    public string Url { get; private set; } = "";

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    /// <summary>The port the receiver listens on.</summary>
    public int Port => new Uri(Url).Port;

    /// <summary>Starts a receiver on <paramref name="port"/> (the port the service under test allows; 0: any free one).</summary>
    public static async Task<WebhookReceiver> StartAsync(int port, Func<DateTimeOffset>? serviceClock = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        var clock = serviceClock ?? (() => DateTimeOffset.UtcNow);
        var path = "/hooks/" + Guid.NewGuid().ToString("N");
        app.MapPost("/hooks/{**rest}", async (HttpContext context) =>
        {
            // Receivers of one test host share its one allowed port: what another test's subscription sends is not ours.
            if (context.Request.Path != path)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var headers = context.Request.Headers;
            var received = new ReceivedWebhook(headers["webhook-id"].ToString(), headers["webhook-timestamp"].ToString(), headers["webhook-signature"].ToString(), await reader.ReadToEndAsync(), clock());
            receiver._received.Enqueue(received);
            await Task.Delay(receiver.AnswerDelay);
            context.Response.StatusCode = receiver.Answer(received);
            if (context.Response.StatusCode is >= 300 and < 400)
            {
                context.Response.Headers.Location = "/hooks/redirected";
            }

            await context.Response.WriteAsync(receiver.AnswerBody);
        });
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + path;
        return receiver;
    }

    /// <summary>Waits (real time: deliveries are asynchronous) until at least <paramref name="count"/> requests came.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (_received.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The receiver got {_received.Count} of {count} expected requests.");
            await Task.Delay(25);
        }

        return Received;
    }

    /// <summary>Checks every given delivery with the official `standardwebhooks` library (npm), as of the service's clock when each came.</summary>
    public static async Task<IReadOnlyList<JsonElement>> VerifyWithLibraryAsync(string secret, IEnumerable<ReceivedWebhook> deliveries, bool atServiceClock)
    {
        var file = Path.Combine(Path.GetTempPath(), $"elicence-webhooks-{Guid.NewGuid():N}.json");
        var input = new
        {
            secret,
            deliveries = deliveries.Select(d => new
            {
                headers = new Dictionary<string, string> { ["webhook-id"] = d.Id, ["webhook-timestamp"] = d.Timestamp, ["webhook-signature"] = d.Signature },
                body = d.Body,
                now = atServiceClock ? d.ServiceNow.ToUnixTimeSeconds() : (long?)null,
            }),
        };
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(input));
        try
        {
            var (exit, output, error) = await ExternalProcess.RunAsync("node", ["tests/tools/verify-webhooks.mjs", file]);
            Assert.True(exit == 0, error);
            return [.. JsonDocument.Parse(output).RootElement.EnumerateArray().Select(e => e.Clone())];
        }
        finally
        {
            File.Delete(file);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
