using ELicence.Core.CreditCodes;
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

    protected override void Configure(WebApplicationBuilder builder) => builder.Services.AddSingleton<TimeProvider>(Clock);

    /// <summary>
    /// Waits until every committed event of <paramref name="code"/> has been handed to the register's subscribers.
    /// Until the licence-event outbox is merged, this hands them over itself, as the dispatcher will (subscribers are
    /// idempotent, so both together are harmless).
    /// </summary>
    public async Task DeliverAsync(string code)
    {
        var creditCode = CreditCode.FromStored(code);
        var history = await Services.GetRequiredService<ILicenceStore>().GetHistoryAsync(creditCode, default);
        foreach (var e in history)
        {
            foreach (var subscriber in Services.GetServices<ILicenceEventSubscriber>())
            {
                await subscriber.HandleAsync(new LicenceEventNotice(creditCode, e), default);
            }
        }
    }

    public async Task<JsonElement> ActAsync(string code, string action, object body)
    {
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

[CollectionDefinition(Name)]
public sealed class RegisterCollection : ICollectionFixture<RegisterFixture>
{
    public const string Name = "register";
}
