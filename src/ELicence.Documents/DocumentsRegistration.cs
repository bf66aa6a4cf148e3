using ELicence.Core;
using ELicence.Core.Presentations;
using ELicence.Core.Wallets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ELicence.Documents;

/// <summary>The documents register themselves beside the core: their settings, the document use cases, the QR drawing Core asks for.</summary>
public static class DocumentsRegistration
{
    public static IServiceCollection AddELicenceDocuments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DocumentOptions>(configuration, DocumentOptions.Section);
        services.AddSingleton<IPresentationQrCode, PresentationQrCode>();
        services.AddSingleton<ILinkQrCode, LinkQrCode>();
        services.AddSingleton<LicenceDocuments>();
        services.AddSingleton<PublicLicenceCheck>();
        return services;
    }
}
