using ELicence.Core.CreditCodes;
using ELicence.Storage;
using ELicence.Storage.Licences;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;

namespace ELicence.IntegrationTests.Register;

/// <summary>
/// The service on a fake clock of its own, so the hourly delta and daily snapshot timers fire when a test advances it,
/// and so the register's feed starts empty for these tests.
/// </summary>
public sealed class RegisterFixture : ServiceFixture
{
    /// <summary>Monday 2 November 2026, 01:00 UTC.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 1, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Clock { get; } = new(Start);

    protected override IEnumerable<string> Settings => [.. base.Settings, "--Register:LongPollInterval=00:00:00.050"];

    /// <summary>While set, nudges to the licence-events queue are lost, as if the process crashed right after each commit.</summary>
    public bool LoseEventNudges { get; set; }

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.Services.AddSingleton<ILicenceEventQueue>(sp => new LosableEventQueue(new LicenceEventQueue(sp.GetRequiredService<StorageClients>()), this));
    }

    /// <summary>Waits until the outbox relay has handed every committed event of <paramref name="code"/> to the subscribers (its outbox rows are gone).</summary>
    public async Task DeliverAsync(string code)
    {
        for (var attempt = 0; attempt < 800; attempt++)
        {
            if (await OutboxRowsAsync(code) == 0)
            {
                return;
            }

            await Task.Delay(25);
        }

        Assert.Fail($"The outbox of {code} was not relayed.");
    }

    public async Task<int> OutboxRowsAsync(string code) =>
        (await this.QueryAsync(StorageNames.LicencesTable, $"PartitionKey eq '{code}' and RowKey ge 'outbox-' and RowKey lt 'outbox.'")).Count;

    /// <summary>Hands the licence's whole history to the register's subscribers again, as a redelivery after a crash would.</summary>
    public async Task RedeliverAsync(string code)
    {
        var creditCode = CreditCode.FromStored(code);
        foreach (var e in await Services.GetRequiredService<ILicenceStore>().GetHistoryAsync(creditCode, default))
        {
            foreach (var subscriber in Services.GetServices<ILicenceEventSubscriber>())
            {
                await subscriber.HandleAsync(new LicenceEventNotice(creditCode, e), default);
            }
        }
    }

    /// <summary>A registrar action that must succeed; a revocation goes the four-eyes way (proposed, then approved by the supervisor).</summary>
    public async Task<JsonElement> ActAsync(string code, string action, object body)
    {
        if (action == "revocation")
        {
            return await Documents.ServiceCalls.RevokeWithApprovalAsync(this, code, body);
        }

        var (status, json, _) = await SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/{action}", RegistrarKey, body);
        Assert.True(status == HttpStatusCode.OK, $"{action}: {(int)status} {json}");
        return json;
    }

    /// <summary>Advances the clock, then keeps nudging it a minute at a time until the condition holds (timers run asynchronously).</summary>
    public async Task AdvanceUntilAsync(TimeSpan by, Func<Task<bool>> condition)
    {
        Clock.Advance(by);
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(25);
        }

        Assert.Fail("The condition did not hold after advancing the clock.");
    }
}

internal sealed class LosableEventQueue(ILicenceEventQueue inner, RegisterFixture fixture) : ILicenceEventQueue
{
    public Task EnqueueAsync(CreditCode code, CancellationToken cancellationToken) =>
        fixture.LoseEventNudges ? Task.CompletedTask : inner.EnqueueAsync(code, cancellationToken);
}

[CollectionDefinition(Name)]
public sealed class RegisterCollection : ICollectionFixture<RegisterFixture>
{
    public const string Name = "register";
}
