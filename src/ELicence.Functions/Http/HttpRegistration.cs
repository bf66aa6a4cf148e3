using ELicence.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ELicence.Functions.Http;

/// <summary>The HTTP guard and what it needs: caller authentication and the rate limits (per client address on anonymous endpoints, per caller on the others).</summary>
public static class HttpRegistration
{
    public static IServiceCollection AddHttpApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section))
            .Validate(o => o.IsValid, $"{RateLimitOptions.Section}: every policy needs Permits and Burst of at least 1 and a positive Window; ClientAddress is one of {string.Join(", ", Enum.GetNames<ClientAddressSource>())}.")
            .ValidateOnStart();
        services.AddValidatedOptions<HttpDiagnosticsOptions>(configuration, HttpDiagnosticsOptions.Section);
        services.AddSingleton<ClientRateLimiter>();
        services.AddValidatedOptions<EntraIdOptions>(configuration, EntraIdOptions.Section);
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<EntraIdAuthenticator>();
        services.TryAddSingleton<ICallerAuthenticator, CallerAuthenticator>();
        services.AddSingleton<HttpApi>();
        HttpEndpoints.Validate(typeof(HttpApi).Assembly);
        services.AddSingleton(typeof(HttpApi<>));
        return services;
    }
}
