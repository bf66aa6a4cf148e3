using ELicence.Core.Keys;
using ELicence.Core.Licences;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ELicence.Core.Log;

/// <summary>The transparency log slice: its settings, note key, readers, and the producers that feed it (licence events, key events).</summary>
public static class LogRegistration
{
    public static IServiceCollection AddTransparencyLog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<LogOptions>(configuration, LogOptions.Section);
        services.AddSingleton<LogNoteKey>();
        services.AddSingleton<LogReader>();
        services.AddSingleton<ILicenceEventSubscriber, LogLicenceEventSubscriber>();
        // Every ring change is logged: the editor the key administration uses is the logging one.
        services.AddSingleton<IKeyRingEditor>(sp => new KeyEventLog(sp.GetRequiredService<KeyRingProvider>(), sp.GetRequiredService<IPendingLeafSink>()));
        return services;
    }
}
