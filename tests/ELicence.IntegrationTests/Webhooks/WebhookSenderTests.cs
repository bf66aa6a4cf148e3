using ELicence.Core.Webhooks;

namespace ELicence.IntegrationTests.Webhooks;

/// <summary>The HTTP sender against a real receiver: no redirects, a 5 s limit, never the answer's body, loopback only on the development port.</summary>
public class WebhookSenderTests
{
    private static readonly KeyValuePair<string, string>[] NoHeaders = [];

    [Fact]
    public async Task A_redirect_is_a_failed_attempt_and_is_not_followed()
    {
        await using var receiver = await WebhookReceiver.StartAsync(0);
        receiver.Answer = _ => 307;
        using var sender = Sender(receiver.Port);

        var attempt = await sender.SendAsync(new Uri(receiver.Url), NoHeaders, "{}", default);

        Assert.False(attempt.Succeeded);
        Assert.Equal(307, attempt.Status);
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task An_answer_is_its_status_and_a_short_reason_never_its_body()
    {
        await using var receiver = await WebhookReceiver.StartAsync(0);
        receiver.AnswerBody = "secret-of-the-receiver " + new string('b', 100_000);
        receiver.Answer = _ => 500;
        using var sender = Sender(receiver.Port);

        var attempt = await sender.SendAsync(new Uri(receiver.Url), NoHeaders, "{}", default);

        Assert.Equal(new WebhookAttempt(500, "The receiver answered 500."), attempt);
    }

    [Fact]
    public async Task A_receiver_on_another_loopback_port_is_not_connected_to_in_any_spelling()
    {
        await using var receiver = await WebhookReceiver.StartAsync(0);
        using var sender = Sender(receiver.Port + 1 == 65536 ? 1 : receiver.Port + 1);

        foreach (var host in new[] { "127.0.0.1", "127.1", "0x7f000001", "[::ffff:127.0.0.1]", "localhost" })
        {
            var url = new Uri($"http://{host}:{receiver.Port}/hooks/x");
            var attempt = await sender.SendAsync(url, NoHeaders, "{}", default);
            Assert.Null(attempt.Status);
            Assert.Contains("may not reach", attempt.Error, StringComparison.Ordinal);
        }

        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task A_receiver_that_does_not_answer_within_5_seconds_is_a_failed_attempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync(0);
        receiver.AnswerDelay = TimeSpan.FromSeconds(8);
        using var sender = Sender(receiver.Port);

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
        await using var receiver = await WebhookReceiver.StartAsync(0);
        var url = new UriBuilder(receiver.Url) { Host = host }.Uri;
        using var production = Sender(null);
        using var development = Sender(receiver.Port);

        var refused = await production.SendAsync(url, NoHeaders, "{}", default);
        Assert.Empty(receiver.Received);
        var allowed = await development.SendAsync(url, NoHeaders, "{}", default);

        Assert.False(refused.Succeeded);
        Assert.Null(refused.Status);
        Assert.Contains("may not reach", refused.Error, StringComparison.Ordinal);
        Assert.True(allowed.Succeeded);
        Assert.Single(receiver.Received);
    }

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://127.0.0.1:8787")]
    public async Task A_host_not_only_on_loopback_or_on_the_allowed_port_itself_refuses_to_start_with_the_setting(string urls)
    {
        await using var app = LocalFunctionsHost.Build(
        [
            "--AzureWebJobsStorage=UseDevelopmentStorage=true",
            $"--LocalHost:Urls={urls}",
            "--LocalHost:StartAzurite=false",
            "--LocalHost:CreateDevKeys=false",
            "--Webhooks:AllowHttpLocalhostPort=8787",
        ]);

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("AllowHttpLocalhostPort", error.Message, StringComparison.Ordinal);
    }

    private static HttpWebhookSender Sender(int? allowedLoopbackPort) => new(new WebhookAddresses(new WebhookOptions { AllowHttpLocalhostPort = allowedLoopbackPort }));
}
