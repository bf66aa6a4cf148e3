using System.Globalization;
using System.Net;
using ELicence.Core.Webhooks;

namespace ELicence.Core.UnitTests.Webhooks;

/// <summary>The pure rules of webhooks: SSRF address classes, Standard Webhooks signatures, event mapping, backoff.</summary>
public class WebhookRuleTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("10.1.2.3")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("169.254.169.254")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.0.0.170")]
    [InlineData("192.0.2.1")]
    [InlineData("192.168.1.1")]
    [InlineData("198.18.0.1")]
    [InlineData("198.51.100.7")]
    [InlineData("203.0.113.9")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")]
    [InlineData("fec0::1")]
    [InlineData("ff02::1")]
    [InlineData("2001:db8::1")]
    [InlineData("2001::1")]
    [InlineData("2002:a00:1::1")]
    [InlineData("100::1")]
    public void Private_loopback_link_local_shared_and_special_addresses_are_not_public(string address) =>
        Assert.False(WebhookAddresses.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("192.169.0.1")]
    [InlineData("223.255.255.254")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001::200e")]
    public void Global_unicast_addresses_are_public(string address) =>
        Assert.True(WebhookAddresses.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("https://example.com/hook", false, true)]
    [InlineData("https://203.0.113.5/hook", false, false)]
    [InlineData("https://[::1]/hook", false, false)]
    [InlineData("http://localhost:8787/hook", false, false)]
    [InlineData("http://localhost:8787/hook", true, true)]
    [InlineData("http://127.0.0.1:8787/hook", true, true)]
    [InlineData("http://[::1]:8787/hook", true, true)]
    [InlineData("http://example.com/hook", true, false)]
    [InlineData("http://10.0.0.1/hook", true, false)]
    [InlineData("https://10.0.0.1/hook", true, false)]
    [InlineData("https://user@example.com/hook", false, false)]
    [InlineData("https://example.com/hook#x", false, false)]
    [InlineData("file:///etc/passwd", true, false)]
    [InlineData("gopher://example.com/", false, false)]
    [InlineData("", false, false)]
    public void Subscription_urls_are_https_to_public_hosts_and_loopback_only_on_the_development_port(string url, bool development, bool accepted)
    {
        var addresses = new WebhookAddresses(new WebhookOptions { AllowHttpLocalhostPort = development ? 8787 : null });

        Assert.Equal(accepted, addresses.Refusal(url) is null);
    }

    [Theory]
    [InlineData("http://127.1:{0}/")]
    [InlineData("http://0x7f000001:{0}/")]
    [InlineData("http://2130706433:{0}/")]
    [InlineData("http://0177.0.0.1:{0}/")]
    [InlineData("http://127.0.0.2:{0}/")]
    [InlineData("http://[::ffff:127.0.0.1]:{0}/")]
    [InlineData("http://[::ffff:7f00:1]:{0}/")]
    [InlineData("http://[0:0:0:0:0:0:0:1]:{0}/")]
    [InlineData("http://LOCALHOST:{0}/")]
    [InlineData("http://azurite.localhost:{0}/")]
    [InlineData("https://localhost:{0}/")]
    public void Every_spelling_of_loopback_reaches_only_the_one_allowed_port(string template)
    {
        var addresses = new WebhookAddresses(new WebhookOptions { AllowHttpLocalhostPort = 8787 });

        foreach (var port in new[] { 10000, 10001, 10002, 7071, 80, 8788 })
        {
            var url = string.Format(CultureInfo.InvariantCulture, template, port);
            Assert.NotNull(addresses.Refusal(url));
            Assert.False(addresses.MayConnect(new Uri(url), IPAddress.Loopback), url);
        }

        var allowed = string.Format(CultureInfo.InvariantCulture, template, 8787);
        Assert.Null(addresses.Refusal(allowed));
        Assert.True(addresses.MayConnect(new Uri(allowed), IPAddress.Loopback), allowed);
    }

    [Theory]
    [InlineData("http://127.1:10000/")]
    [InlineData("http://0x7f000001/")]
    [InlineData("http://[::ffff:127.0.0.1]:7071/")]
    [InlineData("http://0.0.0.0:8787/")]
    [InlineData("http://[::]:8787/")]
    public void Without_the_development_port_no_spelling_of_loopback_or_any_address_is_accepted(string url)
    {
        var addresses = new WebhookAddresses(new WebhookOptions());

        Assert.NotNull(addresses.Refusal(url));
        Assert.False(addresses.MayConnect(new Uri(url), IPAddress.Loopback));
        Assert.False(addresses.MayConnect(new Uri(url), IPAddress.Any));
    }

    [Fact]
    public void A_loopback_address_is_connectable_in_development_only_for_a_loopback_url_on_the_allowed_port()
    {
        var addresses = new WebhookAddresses(new WebhookOptions { AllowHttpLocalhostPort = 8787 });

        Assert.True(addresses.MayConnect(new Uri("http://localhost:8787/x"), IPAddress.Loopback));
        Assert.True(addresses.MayConnect(new Uri("http://localhost:8787/x"), IPAddress.Parse("::ffff:127.0.0.1")));
        // A public-looking name that resolves to loopback (DNS rebinding) is refused even in development.
        Assert.False(addresses.MayConnect(new Uri("http://rebind.example:8787/x"), IPAddress.Loopback));
        Assert.False(addresses.MayConnect(new Uri("http://localhost:8787/x"), IPAddress.Parse("10.0.0.1")));
        Assert.False(addresses.MayConnect(new Uri("http://localhost:8787/x"), IPAddress.Any));
    }

    [Theory]
    [InlineData(null, "http://0.0.0.0:7071", true)]
    [InlineData(8787, "http://localhost:7071", true)]
    [InlineData(8787, "http://127.0.0.1:0", true)]
    [InlineData(8787, "http://[::1]:7071;http://localhost:7072", true)]
    [InlineData(8787, "http://0.0.0.0:7071", false)]
    [InlineData(8787, "http://*:7071", false)]
    [InlineData(8787, "http://+:7071", false)]
    [InlineData(8787, "https://elicence.azurewebsites.net", false)]
    [InlineData(8787, "", false)]
    [InlineData(7071, "http://localhost:7071", false)]
    public void The_loopback_port_setting_is_refused_at_start_unless_the_host_runs_on_loopback_and_the_port_is_not_its_own(int? port, string hostUrls, bool starts)
    {
        var check = new WebhookHostCheck(hostUrls.Split(';', StringSplitOptions.RemoveEmptyEntries));

        var result = check.Validate(null, new WebhookOptions { AllowHttpLocalhostPort = port });

        Assert.Equal(starts, result.Succeeded);
    }

    [Fact]
    public void The_signature_matches_the_standard_webhooks_reference_vector()
    {
        // From the Standard Webhooks reference libraries' tests (the npm library computes the same, see verify-webhooks.mjs).
        var signature = WebhookSignature.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}""");

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void A_new_secret_is_whsec_and_32_random_bytes()
    {
        var one = WebhookSignature.NewSecret();
        var two = WebhookSignature.NewSecret();

        Assert.StartsWith("whsec_", one, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(one["whsec_".Length..]).Length);
        Assert.NotEqual(one, two);
    }

    [Theory]
    [InlineData("issued", null)]
    [InlineData("amended", "licence.amended")]
    [InlineData("suspended", "licence.suspended")]
    [InlineData("reinstated", "licence.reinstated")]
    [InlineData("revoked", "licence.revoked")]
    [InlineData("permit-attached", "permit.changed")]
    [InlineData("permit-withdrawn", "permit.changed")]
    [InlineData("credential-reissued", "licence.credential-reissued")]
    [InlineData("deregistration-notice-opened", "licence.deregistration-opened")]
    [InlineData("deregistration-objection-lodged", "licence.deregistration-objection")]
    [InlineData("deregistration-objection-sustained", "licence.deregistration-objection")]
    [InlineData("deregistration-objection-dismissed", "licence.deregistration-objection")]
    [InlineData("deregistered", "licence.deregistered")]
    [InlineData("expired", "licence.expired")]
    [InlineData("something-new", null)]
    public void Licence_events_map_to_the_issues_event_names(string licenceEvent, string? webhookEvent) =>
        Assert.Equal(webhookEvent, WebhookEvents.Of(licenceEvent));

    [Fact]
    public void Backoff_doubles_from_the_initial_delay_up_to_the_cap_with_at_most_half_taken_off_by_jitter()
    {
        var options = new WebhookOptions { InitialBackoff = TimeSpan.FromSeconds(30), MaxBackoff = TimeSpan.FromHours(2) };

        Assert.Equal(TimeSpan.FromSeconds(15), options.Backoff(1, 0));
        Assert.Equal(TimeSpan.FromSeconds(30), options.Backoff(1, 1));
        Assert.Equal(TimeSpan.FromSeconds(60), options.Backoff(2, 1));
        Assert.Equal(TimeSpan.FromSeconds(480), options.Backoff(5, 1));
        Assert.Equal(TimeSpan.FromHours(2), options.Backoff(20, 1));
        Assert.Equal(TimeSpan.FromHours(1), options.Backoff(1000, 0));
    }

    [Fact]
    public void Retrying_for_less_than_24_hours_is_not_a_valid_setting()
    {
        var options = new WebhookOptions { RetryFor = TimeSpan.FromHours(23) };

        Assert.NotEmpty(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));
    }
}
