using ELicence.Core;
using ELicence.Core.Credentials;
using ELicence.Core.Operations;
using ELicence.Core.Register;
using ELicence.Documents;
using ELicence.Documents.Pages;
using ELicence.Documents.Pages.Verification;
using ELicence.Functions.Documents;
using ELicence.Storage;
using ELicence.Storage.Operations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ELicence.Functions.Composition;

/// <summary>Everything the functions need, registered once: the Functions host and the local host both call this.</summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddELicence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddELicenceCore(configuration);
        services.AddELicenceDocuments(configuration);
        services.AddELicenceStorage(configuration);
        services.AddHttpApi(configuration);
        services.AddPages();
        services.AddELicenceTelemetry();
        return services;
    }

    /// <summary>The public verifier's pages: one renderer for every page, and what the pages say about the site.</summary>
    public static IServiceCollection AddPages(this IServiceCollection services)
    {
        services.AddSingleton<PageRenderer>();
        services.AddSingleton(sp =>
        {
            var issuer = sp.GetRequiredService<IssuerOptions>();
            return new VerifierSite(issuer.Name, issuer.NameEn, RegisterSearch.MinQueryLength, RegisterSearch.MaxQueryLength, PublicVerification.MaxUploadBytes);
        });
        services.AddSingleton<VerificationPages>();
        return services;
    }

    /// <summary>
    /// The service's spans and metrics (<see cref="ElicenceTelemetry"/>, the queue gauges) in the OpenTelemetry providers; where
    /// they are exported is the host's choice (Application Insights in Azure; whatever exporter a test or a developer adds).
    /// </summary>
    public static IServiceCollection AddELicenceTelemetry(this IServiceCollection services)
    {
        services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(ElicenceTelemetry.Name))
            .WithMetrics(metrics => metrics.AddMeter(ElicenceTelemetry.Name).AddInstrumentation(sp => sp.GetRequiredService<QueueGauges>()));
        return services;
    }
}
