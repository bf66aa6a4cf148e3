using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using ELicence.Core.Applications;
using ELicence.Core.Callers;
using ELicence.Core.Credentials;
using ELicence.Core.CreditCodes;
using ELicence.Core.Keys;
using ELicence.Core.Licences;
using ELicence.Core.Receipts;
using ELicence.Core.StatusLists;
using ELicence.Core.Verification;
using ELicence.Functions.Http;
using ELicence.Storage;
using ELicence.Storage.Applications;
using ELicence.Storage.Callers;
using ELicence.Storage.Keys;
using ELicence.Storage.Licences;
using ELicence.Storage.Receipts;
using ELicence.Storage.StatusLists;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ELicence.Functions.Composition;

/// <summary>Everything the functions need, registered once: the Functions host and the local host both call this.</summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddELicence(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IIssuanceObserver, NoIssuanceObserver>();

        services.AddOptions<IssuerOptions>().Bind(configuration.GetSection(IssuerOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<IssuerOptions>>().Value);
        services.AddOptions<DeregistrationOptions>().Bind(configuration.GetSection(DeregistrationOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DeregistrationOptions>>().Value);
        services.AddOptions<StatusListOptions>().Bind(configuration.GetSection(StatusListOptions.Section));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<StatusListOptions>>().Value);
        services.AddSingleton<ICreditCodeExceptions>(new CreditCodeExceptionList(
            (configuration["CreditCodes:LegacyExceptions"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));

        services.AddSingleton(new StorageClients(ReadStorageOptions(configuration)));
        services.AddHostedService<StorageInitializer>();
        services.AddSingleton<IApplicationStore, ApplicationStore>();
        services.AddSingleton<IIdempotencyStore, IdempotencyStore>();
        services.AddSingleton<IIssuanceQueue, IssuanceQueue>();
        services.AddSingleton<ISequenceAllocator, SequenceAllocator>();
        services.AddSingleton<ILicenceStore, LicenceStore>();
        services.AddSingleton<ICredentialStore, CredentialStore>();
        services.AddSingleton<IReceiptStore, ReceiptStore>();
        services.AddSingleton<IApiKeyStore, ApiKeyStore>();
        services.AddSingleton<IStatusListStore, StatusListStore>();
        services.AddSingleton<IStatusListQueue, StatusListQueue>();
        // In Azure the key ring is a Key Vault secret; locally and in tests a private blob.
        var keyVault = configuration["Signing:KeyVaultUri"];
        if (string.IsNullOrWhiteSpace(keyVault))
        {
            services.AddSingleton<IKeyRingStore, KeyRingBlobStore>();
        }
        else
        {
            var clientId = configuration["AzureWebJobsStorage:clientId"];
            services.AddSingleton<IKeyRingStore>(new KeyRingKeyVaultStore(
                new SecretClient(new Uri(keyVault), string.IsNullOrEmpty(clientId) ? new DefaultAzureCredential() : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))),
                configuration["Signing:KeyRingSecretName"] ?? "elicence-key-ring"));
        }

        services.AddSingleton<IKeyRingProvider, KeyRingProvider>();

        services.AddSingleton<ApplicationService>();
        services.AddSingleton<IssuanceService>();
        services.AddSingleton<VerificationService>();
        services.AddSingleton<LicenceQueries>();
        services.AddSingleton<LicenceLifecycleService>();
        services.AddSingleton<StatusListService>();
        services.AddSingleton<ApiKeyService>();

        services.AddHttpApi(configuration);
        return services;
    }

    /// <summary>Reads <c>AzureWebJobsStorage</c> the way the Functions host does: a connection string, or a section of service URIs for managed identity.</summary>
    public static StorageOptions ReadStorageOptions(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("AzureWebJobsStorage");
        return new StorageOptions
        {
            ConnectionString = section.Value,
            BlobServiceUri = Uri(section["blobServiceUri"]),
            QueueServiceUri = Uri(section["queueServiceUri"]),
            TableServiceUri = Uri(section["tableServiceUri"]),
            ClientId = section["clientId"],
        };

        static Uri? Uri(string? value) => string.IsNullOrWhiteSpace(value) ? null : new Uri(value);
    }

    private sealed class StorageInitializer(StorageClients storage) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => storage.EnsureCreatedAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
