using ELicence.Core;
using ELicence.Functions.Http;
using ELicence.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ELicence.Functions.Composition;

/// <summary>Everything the functions need, registered once: the Functions host and the local host both call this.</summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddELicence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddELicenceCore(configuration);
        services.AddELicenceStorage(configuration);
        services.TryAddSingleton<ICallerAuthenticator, ApiKeyAuthenticator>();
        services.AddSingleton<HttpApi>();
        return services;
    }
}
