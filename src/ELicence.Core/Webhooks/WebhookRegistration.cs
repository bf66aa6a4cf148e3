using ELicence.Core.Licences;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ELicence.Core.Webhooks;

/// <summary>The webhook slice: subscriptions, the fan-out of licence events, the deliverer and its HTTP sender.</summary>
public static class WebhookRegistration
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<WebhookOptions>(configuration, WebhookOptions.Section);
        services.AddSingleton<WebhookAddresses>();
        services.AddSingleton<WebhookSecretProtector>();
        services.TryAddSingleton<IWebhookSender, HttpWebhookSender>();
        services.AddSingleton<WebhookSubscriptions>();
        services.AddSingleton<WebhookDeliverer>();
        services.AddSingleton<ILicenceEventSubscriber, WebhookFanOut>();
        return services;
    }
}
