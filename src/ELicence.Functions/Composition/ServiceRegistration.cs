using ELicence.Core;
using ELicence.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ELicence.Functions.Composition;

/// <summary>Everything the functions need, registered once: the Functions host and the local host both call this.</summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddELicence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddELicenceCore(configuration);
        services.AddELicenceStorage(configuration);
        services.AddHttpApi(configuration);
        return services;
    }
}
