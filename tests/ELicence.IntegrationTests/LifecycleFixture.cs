using System.Collections.Concurrent;
using ELicence.Core.CreditCodes;
using ELicence.Storage;
using ELicence.Storage.Licences;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;

namespace ELicence.IntegrationTests;

/// <summary>
/// The service on a fake clock, so 20-day notices and term ends are driven without waiting: advancing the clock fires
/// the timer triggers through the local host's timer pump, as their schedules say.
/// </summary>
public class LifecycleFixture : ServiceFixture
{
    /// <summary>Monday 2 November 2026, 09:00 in Atushi (China Standard Time).</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 1, 0, 0, TimeSpan.Zero);

    /// <summary>The objection limit these tests run with (the default is 20).</summary>
    public const int MaxObjections = 3;

    public FakeTimeProvider Clock { get; } = new(Start);

    /// <summary>How long a failing webhook subscription lasts before it is disabled, in these tests (the default is 5 days).</summary>
    public static readonly TimeSpan WebhookDisableAfter = TimeSpan.FromDays(2);

    /// <summary>The subscriptions one organisation may hold in these tests (the default is 20).</summary>
    public const int MaxWebhookSubscriptions = 3;

    protected override IEnumerable<string> Settings =>
        [.. base.Settings, $"--Deregistration:MaxObjections={MaxObjections}", $"--Webhooks:DisableAfter={WebhookDisableAfter:c}", $"--Webhooks:MaxSubscriptions={MaxWebhookSubscriptions}"];

    public DateOnly Today => ChinaTime.DateOf(Clock.GetUtcNow());

    /// <summary>Every licence event the outbox relay handed over, as a subscriber of the running service sees them.</summary>
    public RecordingEventSubscriber Events { get; } = new();

    /// <summary>While set, nudges to the licence-events queue are lost, as if the process crashed right after each commit.</summary>
    public bool LoseEventNudges { get; set; }

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.Services.AddSingleton<ILicenceEventSubscriber>(Events);
        builder.Services.AddSingleton<ILicenceEventQueue>(sp => new LosableEventQueue(new LicenceEventQueue(sp.GetRequiredService<StorageClients>()), this));
    }

    public sealed class RecordingEventSubscriber : ILicenceEventSubscriber
    {
        private readonly ConcurrentQueue<(string Code, int Sequence, string Type)> _seen = new();

        public string Name => "test recorder";

        public IReadOnlyList<(int Sequence, string Type)> Of(string code) => [.. _seen.Where(e => e.Code == code).Select(e => (e.Sequence, e.Type))];

        public Task HandleAsync(LicenceEventNotice notice, CancellationToken cancellationToken)
        {
            _seen.Enqueue((notice.Code.Value, notice.Event.Sequence, notice.Event.Type));
            return Task.CompletedTask;
        }
    }

    private sealed class LosableEventQueue(ILicenceEventQueue inner, LifecycleFixture fixture) : ILicenceEventQueue
    {
        public Task EnqueueAsync(CreditCode code, CancellationToken cancellationToken) =>
            fixture.LoseEventNudges ? Task.CompletedTask : inner.EnqueueAsync(code, cancellationToken);
    }

    /// <summary>Advances the clock, then keeps nudging it five minutes at a time until the condition holds (timers run asynchronously).</summary>
    public async Task AdvanceUntilAsync(TimeSpan by, Func<Task<bool>> condition)
    {
        Clock.Advance(by);
        for (var attempt = 0; attempt < 400; attempt++)
        {
            if (await condition())
            {
                return;
            }

            if (attempt % 20 == 19)
            {
                Clock.Advance(TimeSpan.FromMinutes(5));
            }

            await Task.Delay(25);
        }

        Assert.Fail("The condition did not hold after advancing the clock.");
    }

    public async Task<JsonElement> VerifyAsync(object body)
    {
        var (status, result, _) = await SendAsync(HttpMethod.Post, "/api/v1/verifications", VerifierKey, body);
        Assert.Equal(HttpStatusCode.OK, status);
        return result;
    }

    /// <summary>A registrar action answering the licence; a revocation that must succeed goes the four-eyes way (proposed, then approved by the supervisor).</summary>
    public async Task<JsonElement> ActAsync(string code, string action, object body, HttpStatusCode expected = HttpStatusCode.OK, string? ifMatch = null)
    {
        if (action == "revocation" && expected == HttpStatusCode.OK && ifMatch is null)
        {
            await Documents.ServiceCalls.RevokeWithApprovalAsync(this, code, body);
            return (await SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}", RegistrarKey)).Body;
        }

        using var request = Request(HttpMethod.Post, $"/api/v1/licences/{code}/{action}", RegistrarKey, body);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        var response = await Http.SendAsync(request);
        var json = await Json.ReadAsync(response);
        Assert.True(expected == response.StatusCode, $"{action}: expected {expected}, got {(int)response.StatusCode} {json}");
        return json;
    }

    public async Task<string> CredentialAsync(string code)
    {
        var (_, _, response) = await SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/credential", RegistrarKey);
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<string> StoredStatusAsync(string code) =>
        (await SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}", RegistrarKey)).Body.GetProperty("status").GetString()!;
}

[CollectionDefinition(Name)]
public sealed class LifecycleCollection : ICollectionFixture<LifecycleFixture>
{
    public const string Name = "lifecycle";
}
