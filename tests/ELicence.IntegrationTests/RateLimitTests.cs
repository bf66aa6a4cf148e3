using ELicence.Core.Callers;
using ELicence.Core.Verifiers;
using ELicence.Functions.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ELicence.IntegrationTests;

/// <summary>A service whose anonymous limits are tiny and whose clients are told apart by X-Forwarded-For, as behind Front Door.</summary>
public sealed class RateLimitedServiceFixture : ServiceFixture
{
    public const int AnonymousBurst = 3;

    public const int VerifierBurst = 8;

    public const int RegisterSearchBurst = 2;

    public const int FailedAuthenticationBurst = 5;

    /// <summary>A new verifier organisation with two keys, so a test has buckets of its own.</summary>
    public async Task<(string Id, string FirstKey, string SecondKey)> OnboardAsync(string name)
    {
        var verifiers = Services.GetRequiredService<VerifierService>();
        var organisation = await verifiers.CreateAsync(Caller.Registrar("registrar:test", "Test registrar"), new NewVerifierRequest(name, VerifierKind.Bank), null, default);
        return (organisation.Id, (await verifiers.IssueKeyAsync(organisation.Id, default)).Key, (await verifiers.IssueKeyAsync(organisation.Id, default)).Key);
    }

    protected override void Configure(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RateLimits:ClientAddress"] = "FirstForwardedFor",
            ["RateLimits:Anonymous:Permits"] = "3",
            ["RateLimits:Anonymous:Window"] = "01:00:00",
            ["RateLimits:Anonymous:Burst"] = AnonymousBurst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:Objections:Permits"] = "1",
            ["RateLimits:Objections:Window"] = "01:00:00",
            ["RateLimits:Objections:Burst"] = "1",
            ["RateLimits:Verifier:Permits"] = VerifierBurst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:Verifier:Window"] = "01:00:00",
            ["RateLimits:Verifier:Burst"] = VerifierBurst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:RegisterSearch:Permits"] = RegisterSearchBurst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:RegisterSearch:Window"] = "01:00:00",
            ["RateLimits:RegisterSearch:Burst"] = RegisterSearchBurst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:VerificationBatch:Permits"] = "1",
            ["RateLimits:VerificationBatch:Window"] = "01:00:00",
            ["RateLimits:VerificationBatch:Burst"] = "1",
            ["RateLimits:FailedAuthentication:Permits"] = FailedAuthenticationBurst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits:FailedAuthentication:Window"] = "01:00:00",
            ["RateLimits:FailedAuthentication:Burst"] = FailedAuthenticationBurst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }
}

[CollectionDefinition(Name)]
public sealed class RateLimitedCollection : ICollectionFixture<RateLimitedServiceFixture>
{
    public const string Name = "rate-limited service";
}

[Collection(RateLimitedCollection.Name)]
public class RateLimitTests(RateLimitedServiceFixture service)
{
    [Fact]
    public async Task An_anonymous_client_over_its_limit_gets_a_429_problem_with_retry_and_rate_limit_fields_while_another_client_does_not()
    {
        for (var i = 0; i < RateLimitedServiceFixture.AnonymousBurst; i++)
        {
            var allowed = await GetAsync("/.well-known/jwks.json", "203.0.113.10");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal("\"anonymous\";q=3;w=3600", Header(allowed, "RateLimit-Policy"));
            Assert.StartsWith($"\"anonymous\";r={RateLimitedServiceFixture.AnonymousBurst - 1 - i};t=", Header(allowed, "RateLimit"), StringComparison.Ordinal);
        }

        var refused = await GetAsync("/api/v1/status-lists/revocation/0", "203.0.113.10");
        var retryAfter = await AssertRateLimitedProblemAsync(refused);
        Assert.Equal("\"anonymous\";q=3;w=3600", Header(refused, "RateLimit-Policy"));
        Assert.Equal($"\"anonymous\";r=0;t={(long)retryAfter.TotalSeconds}", Header(refused, "RateLimit"));

        var other = await GetAsync("/.well-known/jwks.json", "203.0.113.11, 10.0.0.1");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task A_flood_of_anonymous_register_searches_gets_a_429_problem_with_retry_after_and_the_public_page_shares_the_limit()
    {
        const string client = "198.51.100.40";
        var search = "/api/v1/register/public-search?q=" + Uri.EscapeDataString("天山果业");
        for (var i = 0; i < RateLimitedServiceFixture.RegisterSearchBurst; i++)
        {
            var allowed = await GetAsync(search, client);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal($"\"register-search\";q={RateLimitedServiceFixture.RegisterSearchBurst};w=3600", Header(allowed, "RateLimit-Policy"));
        }

        var refused = await GetAsync(search, client);
        await AssertRateLimitedProblemAsync(refused);
        Assert.StartsWith("\"register-search\";r=0;t=", Header(refused, "RateLimit"), StringComparison.Ordinal);

        // The page's search box is not a way around the limit: same client, same bucket, a 429 page with Retry-After.
        var page = await GetAsync("/verify?q=" + Uri.EscapeDataString("天山果业"), client);
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(page.Headers.RetryAfter?.Delta);

        // Other anonymous reads keep their own bucket, and another client is not refused.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/verify", client)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(search, "198.51.100.41")).StatusCode);
    }

    [Fact]
    public async Task Objections_have_a_stricter_policy_of_their_own()
    {
        const string client = "198.51.100.20";
        var first = await PostObjectionAsync(client);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal("\"objections\";q=1;w=3600", Header(first, "RateLimit-Policy"));

        var second = await PostObjectionAsync(client);

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("urn:elicence:problem:rate-limited", (await Json.ReadAsync(second)).GetProperty("type").GetString());
        Assert.StartsWith("\"objections\";r=0;t=", Header(second, "RateLimit"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/v1/deregistration-notices", client)).StatusCode); // reads have their own bucket
    }

    [Fact]
    public async Task Authenticated_endpoints_are_not_under_the_anonymous_limit()
    {
        for (var i = 0; i < RateLimitedServiceFixture.AnonymousBurst + 2; i++)
        {
            using var request = service.Request(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { creditCode = "9144030071526726XG" });
            request.Headers.Add("X-Forwarded-For", "203.0.113.30");
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await service.Http.SendAsync(request)).StatusCode);
        }
    }

    [Fact]
    public async Task A_verifier_organisation_over_its_limit_gets_a_429_on_every_key_while_another_organisation_does_not()
    {
        var bank = await service.OnboardAsync("限流银行甲");
        var other = await service.OnboardAsync("限流银行乙");
        for (var i = 0; i < RateLimitedServiceFixture.VerifierBurst; i++)
        {
            var allowed = await VerifyAsync(i % 2 == 0 ? bank.FirstKey : bank.SecondKey);
            Assert.NotEqual(HttpStatusCode.TooManyRequests, allowed.StatusCode);
            Assert.Equal($"\"verifier\";q={RateLimitedServiceFixture.VerifierBurst};w=3600", Header(allowed, "RateLimit-Policy"));
            Assert.StartsWith($"\"verifier\";r={RateLimitedServiceFixture.VerifierBurst - 1 - i};t=", Header(allowed, "RateLimit"), StringComparison.Ordinal);
        }

        var refused = await VerifyAsync(bank.SecondKey);
        var problem = await Json.ReadAsync(refused);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:elicence:problem:rate-limited", problem.GetProperty("type").GetString());
        Assert.Contains("this verifier", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.StartsWith("\"verifier\";r=0;t=", Header(refused, "RateLimit"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await VerifyAsync(bank.FirstKey)).StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await VerifyAsync(other.FirstKey)).StatusCode);
    }

    [Fact]
    public async Task A_batch_takes_one_permit_of_its_own_policy_whatever_its_size_and_not_one_of_the_verifier_policy()
    {
        var bank = await service.OnboardAsync("限流招标平台");
        var items = Enumerable.Repeat(new { creditCode = "9144030071526726XG" }, 20);

        using var first = service.Request(HttpMethod.Post, "/api/v1/verifications/batch", bank.FirstKey, new { items });
        var allowed = await service.Http.SendAsync(first);
        using var second = service.Request(HttpMethod.Post, "/api/v1/verifications/batch", bank.SecondKey, new { items });
        var refused = await service.Http.SendAsync(second);
        var single = await VerifyAsync(bank.FirstKey);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("\"verification-batch\";q=1;w=3600", Header(allowed, "RateLimit-Policy"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.StartsWith("\"verification-batch\";r=0;t=", Header(refused, "RateLimit"), StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, single.StatusCode);
        Assert.StartsWith($"\"verifier\";r={RateLimitedServiceFixture.VerifierBurst - 1};", Header(single, "RateLimit"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guessing_api_keys_is_throttled_per_client_before_a_guess_costs_a_lookup()
    {
        const string guesser = "203.0.113.77";
        var bank = await service.OnboardAsync("限流猜测银行");
        for (var i = 0; i < RateLimitedServiceFixture.FailedAuthenticationBurst; i++)
        {
            var guessed = await VerifyAsync(RandomWellFormedKey(), guesser);
            Assert.Equal(HttpStatusCode.Unauthorized, guessed.StatusCode);
            Assert.Equal("1", Header(guessed, HttpApi.StorageRoundTripsHeader));
        }

        var refused = await VerifyAsync(RandomWellFormedKey(), guesser);

        await AssertRateLimitedProblemAsync(refused);
        Assert.StartsWith("\"failed-authentication\";r=0;t=", Header(refused, "RateLimit"), StringComparison.Ordinal);
        Assert.Equal("0", Header(refused, HttpApi.StorageRoundTripsHeader));
        // The guesser's address is shut out for a while whatever it sends; another client's valid key works.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await VerifyAsync(bank.FirstKey, guesser)).StatusCode);
        Assert.DoesNotContain((await VerifyAsync(bank.FirstKey, "203.0.113.78")).StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests });
    }

    [Fact]
    public async Task Successful_authentications_take_no_failed_authentication_permit()
    {
        const string client = "203.0.113.79";
        var bank = await service.OnboardAsync("限流正常银行");
        for (var i = 0; i < RateLimitedServiceFixture.FailedAuthenticationBurst + 1; i++)
        {
            Assert.DoesNotContain((await VerifyAsync(i % 2 == 0 ? bank.FirstKey : bank.SecondKey, client)).StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests });
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await VerifyAsync(RandomWellFormedKey(), client)).StatusCode);
    }

    [Theory]
    [InlineData("RateLimits:Verifier:Burst", "0")]
    [InlineData("RateLimits:VerificationBatch:Window", "00:00:00")]
    [InlineData("RateLimits:Anonymous:Burst", "0")]
    [InlineData("RateLimits:Objections:Permits", "0")]
    [InlineData("RateLimits:Anonymous:Window", "-00:01:00")]
    public async Task Invalid_limits_stop_the_host_at_start(string setting, string value)
    {
        await using var app = LocalFunctionsHost.Build(
        [
            "--AzureWebJobsStorage=UseDevelopmentStorage=true",
            "--LocalHost:Urls=http://127.0.0.1:0",
            "--LocalHost:StartAzurite=false",
            "--LocalHost:CreateDevKeys=false",
            $"--{setting}={value}",
        ]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("RateLimits", error.Message, StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> VerifyAsync(string key, string? forwardedFor = null)
    {
        using var request = service.Request(HttpMethod.Post, "/api/v1/verifications", key, new { creditCode = "9144030071526726XG" });
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return await service.Http.SendAsync(request);
    }

    private static string RandomWellFormedKey() =>
        $"elk_{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8))}_{new string('A', 43)}";

    /// <summary>A 429 rate-limited problem+json with a Retry-After of 1 s to the window; returns the Retry-After.</summary>
    private static async Task<TimeSpan> AssertRateLimitedProblemAsync(HttpResponseMessage refused)
    {
        var problem = await Json.ReadAsync(refused);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:elicence:problem:rate-limited", problem.GetProperty("type").GetString());
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 3600);
        return retryAfter.Value;
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await service.Http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> PostObjectionAsync(string forwardedFor)
    {
        using var request = service.Request(HttpMethod.Post, "/api/v1/deregistration-notices/9144030071526726XG/objections", apiKey: null,
            new { name = "某供应商", contact = "0908-0000000", grounds = "尚有货款未结清" });
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await service.Http.SendAsync(request);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;
}
