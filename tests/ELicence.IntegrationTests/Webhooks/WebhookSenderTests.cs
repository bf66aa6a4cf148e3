using ELicence.Core.Webhooks;

namespace ELicence.IntegrationTests.Webhooks;

/// <summary>The HTTP sender against a real receiver: no redirects, a 5 s limit, at most 1 KiB of the answer, loopback only in development.</summary>
public class WebhookSenderTests
{
    private static readonly KeyValuePair<string, string>[] NoHeaders = [];

    [Fact]
    public async Task A_redirect_is_a_failed_attempt_and_is_not_followed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => 307;
        using var sender = Sender(allowHttpLocalhost: true);

        var attempt = await sender.SendAsync(new Uri(receiver.Url), NoHeaders, "{}", default);

        Assert.False(attempt.Succeeded);
        Assert.Equal(307, attempt.Status);
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task An_answer_is_kept_to_its_first_kilobyte()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AnswerBody = new string('a', 1000) + new string('b', 100_000);
        receiver.Answer = _ => 200;
        using var sender = Sender(allowHttpLocalhost: true);

        var attempt = await sender.SendAsync(new Uri(receiver.Url), NoHeaders, "{}", default);

        Assert.True(attempt.Succeeded);
        Assert.Equal(HttpWebhookSender.MaxResponseBytes, attempt.Response!.Length);
        Assert.EndsWith("b", attempt.Response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receiver_that_does_not_answer_within_5_seconds_is_a_failed_attempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AnswerDelay = TimeSpan.FromSeconds(8);
        using var sender = Sender(allowHttpLocalhost: true);

        var attempt = await sender.SendAsync(new Uri(receiver.Url), NoHeaders, "{}", default);

        Assert.False(attempt.Succeeded);
        Assert.Null(attempt.Status);
        Assert.Contains("5 s", attempt.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task Loopback_is_not_connected_to_unless_the_development_setting_allows_it(string host)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var url = new UriBuilder(receiver.Url) { Host = host }.Uri;
        using var production = Sender(allowHttpLocalhost: false);
        using var development = Sender(allowHttpLocalhost: true);

        var refused = await production.SendAsync(url, NoHeaders, "{}", default);
        Assert.Empty(receiver.Received);
        var allowed = await development.SendAsync(url, NoHeaders, "{}", default);

        Assert.False(refused.Succeeded);
        Assert.Null(refused.Status);
        Assert.Contains("may not reach", refused.Error, StringComparison.Ordinal);
        Assert.True(allowed.Succeeded);
        Assert.Single(receiver.Received);
    }

    private static HttpWebhookSender Sender(bool allowHttpLocalhost) => new(new WebhookAddresses(new WebhookOptions { AllowHttpLocalhost = allowHttpLocalhost }));
}
