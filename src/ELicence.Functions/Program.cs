using Azure.Monitor.OpenTelemetry.Exporter;
using ELicence.Core.Webhooks;
using ELicence.Functions.Composition;
using ELicence.Storage;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddELicence(builder.Configuration);
// Loopback webhooks (development) only on a host that itself runs on loopback: Core Tools names localhost here, Azure its public name.
builder.Services.AddSingleton<IValidateOptions<WebhookOptions>>(new WebhookHostCheck(
    builder.Configuration["WEBSITE_HOSTNAME"] is { Length: > 0 } hostName ? ["http://" + hostName] : []));

// The service's own spans and metrics are registered by AddELicence; they go to Application Insights through
// OpenTelemetry only where it is configured (in Azure).
if (!string.IsNullOrEmpty(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
{
    // Local auth is off on the Application Insights resource: the app's managed identity sends the telemetry.
    builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults().UseAzureMonitorExporter(options =>
        options.Credential = AzureIdentity.Create(builder.Configuration["AzureWebJobsStorage:clientId"]));
}

builder.Build().Run();
