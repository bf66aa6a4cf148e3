using System.ComponentModel.DataAnnotations;
using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using ELicence.Core.KeyManagement;
using ELicence.Core;
using ELicence.Core.Operations;
using ELicence.Core.Presentations;
using ELicence.Core.Holders;
using ELicence.Core.Signatures;
using ELicence.Core.Usage;
using ELicence.Core.Verifiers;
using ELicence.Storage.Applications;
using ELicence.Storage.Callers;
using ELicence.Storage.Documents;
using ELicence.Storage.Holders;
using ELicence.Storage.Keys;
using ELicence.Storage.Licences;
using ELicence.Storage.Operations;
using ELicence.Storage.Presentations;
using ELicence.Storage.Receipts;
using ELicence.Storage.Signatures;
using ELicence.Core.Register;
using ELicence.Storage.Register;
using ELicence.Storage.StatusLists;
using ELicence.Storage.Usage;
using ELicence.Storage.Verifiers;
using ELicence.Storage.Webhooks;
using ELicence.Core.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ELicence.Tlog;

namespace ELicence.Storage;

/// <summary>Where the signing key ring is kept (section <c>Signing</c>): a Key Vault secret in Azure, a private blob when no vault is set.</summary>
public sealed class SigningOptions : IValidatableObject
{
    public const string Section = "Signing";

    /// <summary>The vault's https URI; empty to keep the ring in a private blob (local use).</summary>
    public string? KeyVaultUri { get; set; }

    [Required]
    [RegularExpression("^[0-9A-Za-z-]{1,127}$", ErrorMessage = "A Key Vault secret name: letters, digits and hyphens.")]
    public string KeyRingSecretName { get; set; } = "elicence-key-ring";

    /// <summary>The secret holding the transparency log's note key (not a credential key), when a vault is set.</summary>
    [Required]
    [RegularExpression("^[0-9A-Za-z-]{1,127}$", ErrorMessage = "A Key Vault secret name: letters, digits and hyphens.")]
    public string LogNoteKeySecretName { get; set; } = "elicence-log-note-key";

    /// <summary>The secret holding the key that encrypts webhook secrets in the table, when a vault is set.</summary>
    [Required]
    [RegularExpression("^[0-9A-Za-z-]{1,127}$", ErrorMessage = "A Key Vault secret name: letters, digits and hyphens.")]
    public string WebhookSecretKeySecretName { get; set; } = "elicence-webhook-secret-key";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(KeyVaultUri) && !(Uri.TryCreate(KeyVaultUri, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
        {
            yield return new ValidationResult("Signing:KeyVaultUri must be the vault's https URI, or empty.", [nameof(KeyVaultUri)]);
        }
    }
}

/// <summary>The storage adapters register themselves: the clients with one Azure identity, every port of the core, and the start-up creation of tables, containers and queues.</summary>
public static class StorageRegistration
{
    public static IServiceCollection AddELicenceStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var storage = StorageOptions.FromConfiguration(configuration);
        services.AddSingleton(storage);
        services.AddSingleton<TokenCredential>(_ => AzureIdentity.Create(storage.ClientId));
        services.AddSingleton(sp => new StorageClients(storage, sp.GetRequiredService<TokenCredential>));
        services.AddHostedService<StorageInitializer>();
        services.AddValidatedOptions<SigningOptions>(configuration, SigningOptions.Section);

        services.AddSingleton<IApplicationStore, ApplicationStore>();
        services.AddSingleton<IIdempotencyStore, IdempotencyStore>();
        services.AddSingleton<IIssuanceQueue, IssuanceQueue>();
        services.AddSingleton<ISequenceAllocator, SequenceAllocator>();
        services.AddSingleton<ILicenceStore, LicenceStore>();
        services.AddSingleton<ILicenceOutbox, LicenceOutbox>();
        services.AddSingleton<ILicenceEventQueue, LicenceEventQueue>();
        services.AddSingleton<ICredentialStore, CredentialStore>();
        services.AddSingleton<IDocumentDownloadLog, DocumentDownloadStore>();
        services.AddSingleton<ISignatureHistory, SignatureHistoryStore>();
        services.AddSingleton<ReceiptRelay>();
        services.AddSingleton<ReceiptJournal>();
        services.AddSingleton<IReceiptStore, ReceiptStore>();
        services.AddSingleton<IBatchReceiptStore, BatchReceiptStore>();
        // Callers seen recently authenticate from memory (CachedApiKeyStore states the bound); revocations go through it and evict at once.
        services.AddValidatedOptions<CallerCacheOptions>(configuration, CallerCacheOptions.Section);
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<IApiKeyStore>(sp => new CachedApiKeyStore(sp.GetRequiredService<ApiKeyStore>(), sp.GetRequiredService<CallerCacheOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IVerifierStore, VerifierStore>();
        services.AddSingleton<IHolderKeyStore, HolderKeyStore>();
        services.AddSingleton<IUsageLog, UsageStore>();
        services.AddSingleton<Log.PendingLeafStore>();
        services.AddSingleton<ELicence.Core.Log.IPendingLeafSink>(sp => sp.GetRequiredService<Log.PendingLeafStore>());
        services.AddTransparencyLogStorage();
        services.AddSingleton<IWebhookStore, WebhookStore>();
        services.AddSingleton<IWebhookDeliveryStore, WebhookDeliveryStore>();
        services.AddSingleton<IWebhookDeliveryQueue, WebhookDeliveryQueue>();
        services.AddSingleton<IStatusListStore, StatusListStore>();
        services.AddSingleton<ITokenStatusListStore, TokenStatusListStore>();
        services.AddSingleton<IWalletCopyStore, WalletCopyStore>();
        services.AddSingleton<IStatusListQueue, StatusListQueue>();
        services.AddSingleton<IStorageProbe, StorageProbe>();
        services.AddSingleton<QueueGauges>();
        services.AddSingleton<IReissueStore, ReissueStore>();
        services.AddSingleton<Core.Proposals.IProposalStore, Proposals.ProposalStore>();
        services.AddSingleton<Core.AnnualReports.IAnnualReportStore, AnnualReports.AnnualReportStore>();
        services.AddSingleton<IReissueQueue, ReissueQueue>();
        services.AddSingleton<IPresentationUseStore, PresentationUseStore>();
        services.AddSingleton<Core.Wallets.IWalletIssuanceStore, Wallets.WalletIssuanceStore>();
        services.AddSingleton<IPresentationKeyStore, HolderKeyBlobStore>();
        services.AddSingleton<RegisterIndexStore>();
        services.AddSingleton<IRegisterIndex>(sp => sp.GetRequiredService<RegisterIndexStore>());
        services.AddSingleton<IChangeFeedStore, ChangeFeedStore>();
        services.AddSingleton<IRegisterFileStore, RegisterFileStore>();
        services.AddSingleton<ELicence.Core.Webhooks.IWebhookSecretKeyStore>(sp =>
        {
            var signing = sp.GetRequiredService<SigningOptions>();
            return string.IsNullOrWhiteSpace(signing.KeyVaultUri)
                ? new Webhooks.WebhookSecretKeyBlobStore(sp.GetRequiredService<StorageClients>())
                : new Webhooks.WebhookSecretKeyVaultStore(new SecretClient(new Uri(signing.KeyVaultUri), sp.GetRequiredService<TokenCredential>()), signing.WebhookSecretKeySecretName, sp.GetRequiredService<StorageClients>());
        });
        services.AddSingleton<IKeyRingStore>(sp =>
        {
            var signing = sp.GetRequiredService<SigningOptions>();
            return string.IsNullOrWhiteSpace(signing.KeyVaultUri)
                ? new KeyRingBlobStore(sp.GetRequiredService<StorageClients>())
                : new KeyRingKeyVaultStore(new SecretClient(new Uri(signing.KeyVaultUri), sp.GetRequiredService<TokenCredential>()), signing.KeyRingSecretName, sp.GetRequiredService<StorageClients>());
        });
        return services;
    }

    /// <summary>The log's tiles, index and checkpoint, its note key beside the key ring, and the leased sequencer.</summary>
    private static void AddTransparencyLogStorage(this IServiceCollection services)
    {
        services.AddSingleton<Log.TileBlobStore>();
        services.AddSingleton<ELicence.Tlog.ITileStore>(sp => sp.GetRequiredService<Log.TileBlobStore>());
        services.AddSingleton<Log.LogIndexStore>();
        services.AddSingleton<ELicence.Core.Log.ILogIndex>(sp => sp.GetRequiredService<Log.LogIndexStore>());
        services.AddSingleton<Log.SequencerLease>();
        services.AddSingleton<Log.LogSequencing>();
        services.AddSingleton<ELicence.Core.Log.INoteKeyStore>(sp =>
        {
            var signing = sp.GetRequiredService<SigningOptions>();
            return string.IsNullOrWhiteSpace(signing.KeyVaultUri)
                ? new Log.NoteKeyBlobStore(sp.GetRequiredService<StorageClients>())
                : new Log.NoteKeyVaultStore(new SecretClient(new Uri(signing.KeyVaultUri), sp.GetRequiredService<TokenCredential>()), signing.LogNoteKeySecretName, sp.GetRequiredService<StorageClients>());
        });
    }

    private sealed class StorageInitializer(StorageClients storage) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => storage.EnsureCreatedAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
