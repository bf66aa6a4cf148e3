using ELicence.Core.Webhooks;
using ELicence.Functions.Composition;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;

namespace ELicence.LocalHost;

/// <summary>
/// The local stand-in for the Functions host: the same function classes and the same service registration, HTTP on
/// Kestrel at the routes of their [HttpTrigger] attributes, queue and timer triggers pumped in the background.
/// </summary>
public static class LocalFunctionsHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        // local.settings.json has the lowest precedence: environment variables and arguments override it, as under Core Tools.
        var localSettings = new Microsoft.Extensions.Configuration.ConfigurationBuilder();
        LocalHostSettings.AddLocalSettings(localSettings);
        foreach (var source in localSettings.Sources.Reverse())
        {
            builder.Configuration.Sources.Insert(0, source);
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        var settings = LocalHostSettings.Read(builder.Configuration);
        builder.WebHost.UseUrls(settings.Urls);
        builder.WebHost.ConfigureKestrel(HttpEdges.ConfigureKestrel);
        builder.Services.AddSingleton(settings);
        builder.Services.AddELicence(builder.Configuration);
        // Loopback webhooks (development) only while this host itself listens on loopback only.
        builder.Services.AddSingleton<IValidateOptions<WebhookOptions>>(
            new WebhookHostCheck(settings.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        // Kestrel's request activity is the parent of the service's spans here (the Functions host's invocation is, in
        // Azure): recorded, so that a parent-based sampler keeps its children.
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource("Microsoft.AspNetCore"));

        var catalog = FunctionCatalog.Discover(typeof(ServiceRegistration).Assembly, HostJson.Load(Path.Combine(AppContext.BaseDirectory, "host.json")));
        builder.Services.AddSingleton(catalog);
        if (settings.CreateDevKeys)
        {
            builder.Services.AddHostedService<DevelopmentCallers>();
        }

        builder.Services.AddHostedService<QueueTriggerPump>();
        builder.Services.AddHostedService<TimerTriggerPump>();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseHttpEdges();
        foreach (var function in catalog.Functions)
        {
            if (function.Trigger is HttpFunctionTrigger http)
            {
                app.MapMethods(http.Route, http.Methods, context => FunctionInvoker.InvokeHttpAsync(function, context)).WithName(function.Name);
            }
        }

        return app;
    }
}
