using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace ELicence.Storage;

/// <summary>The names of every table, container and queue the service uses.</summary>
public static class StorageNames
{
    public const string ApplicationsTable = "applications";
    public const string IdempotencyTable = "idempotency";
    public const string SequenceTable = "sequence";
    public const string LicencesTable = "licences";
    public const string ApiKeysTable = "apikeys";
    public const string ReceiptsByLicenceTable = "receiptsbylicence";
    public const string ReceiptsByVerifierTable = "receiptsbyverifier";
    public const string StatusEntriesTable = "statusentries";
    public const string StatusListsTable = "statuslists";
    public const string VerifiersTable = "verifiers";
    public const string KeyReissuesTable = "keyreissues";
    public const string PresentationUsesTable = "presentationuses";
    public const string WalletIssuanceTable = "walletissuance";
    public const string HolderKeysTable = "holderkeys";
    public const string LicenceUsageTable = "licenceusage";
    public const string RegisterIndexTable = "registerindex";
    public const string RegisterFeedTable = "registerfeed";
    public const string RegisterFilesTable = "registerfiles";
    public const string WebhooksTable = "webhooks";
    public const string WebhookCodesTable = "webhookcodes";
    public const string LogPendingTable = "logpending";
    public const string LogIndexTable = "logindex";
    public const string ReceiptJournalTable = "receiptjournal";
    public const string ProposalsTable = "proposals";
    public const string AnnualReportsTable = "annualreports";

    public const string CredentialsContainer = "credentials";
    public const string ReceiptsContainer = "receipts";
    public const string KeysContainer = "signing-keys";
    public const string StatusListsContainer = "status-lists";
    public const string HolderKeysContainer = "holder-keys";
    public const string RegisterFilesContainer = "register-files";
    public const string LogContainer = "log";

    /// <summary>Queue trigger names must be constants, so the function attributes use these too.</summary>
    public const string IssuanceQueue = "issue-licence";
    public const string IssuancePoisonQueue = IssuanceQueue + "-poison";
    public const string StatusSyncQueue = "status-sync";
    public const string StatusPublishQueue = "status-publish";
    public const string LicenceEventsQueue = "licence-events";
    public const string KeyReissueQueue = "key-reissue";
    public const string WebhookDeliveryQueue = "webhook-deliveries";
    public const string LogSequenceQueue = "log-sequence";

    public static IReadOnlyList<string> Tables { get; } =
        [ApplicationsTable, IdempotencyTable, SequenceTable, LicencesTable, ApiKeysTable, ReceiptsByLicenceTable, ReceiptsByVerifierTable, StatusEntriesTable, StatusListsTable, VerifiersTable, KeyReissuesTable, PresentationUsesTable, HolderKeysTable, LicenceUsageTable, RegisterIndexTable, RegisterFeedTable, RegisterFilesTable, WebhooksTable, WebhookCodesTable, LogPendingTable, LogIndexTable, ReceiptJournalTable, ProposalsTable, AnnualReportsTable, WalletIssuanceTable];

    public static IReadOnlyList<string> Containers { get; } = [CredentialsContainer, ReceiptsContainer, KeysContainer, StatusListsContainer, HolderKeysContainer, RegisterFilesContainer, LogContainer];

    public static IReadOnlyList<string> Queues { get; } = [IssuanceQueue, IssuancePoisonQueue, StatusSyncQueue, StatusSyncQueue + "-poison", StatusPublishQueue, StatusPublishQueue + "-poison", LicenceEventsQueue, LicenceEventsQueue + "-poison", KeyReissueQueue, KeyReissueQueue + "-poison", WebhookDeliveryQueue, WebhookDeliveryQueue + "-poison", LogSequenceQueue, LogSequenceQueue + "-poison"];
}

/// <summary>
/// The Azure SDK clients, built from the Functions storage setting: a connection string (Azurite, local) or, in Azure,
/// the service URIs with a managed identity (<c>AzureWebJobsStorage__blobServiceUri</c> and friends).
/// </summary>
public sealed class StorageClients
{
    /// <param name="credential">The Azure identity for service URIs; asked for only when there is no connection string.</param>
    public StorageClients(StorageOptions options, Func<TokenCredential> credential)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);
        // The Functions queue trigger reads base64 by default; messages we send must be base64 too.
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var tableOptions = new TableClientOptions();
        var blobOptions = new BlobClientOptions();
        foreach (var clientOptions in new ClientOptions[] { queueOptions, tableOptions, blobOptions })
        {
            BoundRetries(clientOptions.Retry);
        }

        // Per retry: each attempt is a round trip.
        var roundTrips = new StorageRoundTrips();
        queueOptions.AddPolicy(roundTrips, HttpPipelinePosition.PerRetry);
        tableOptions.AddPolicy(roundTrips, HttpPipelinePosition.PerRetry);
        blobOptions.AddPolicy(roundTrips, HttpPipelinePosition.PerRetry);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            Tables = new TableServiceClient(options.ConnectionString, tableOptions);
            Blobs = new BlobServiceClient(options.ConnectionString, blobOptions);
            Queues = new QueueServiceClient(options.ConnectionString, queueOptions);
        }
        else if (options.BlobServiceUri is not null && options.QueueServiceUri is not null && options.TableServiceUri is not null)
        {
            var identity = credential();
            Tables = new TableServiceClient(options.TableServiceUri, identity, tableOptions);
            Blobs = new BlobServiceClient(options.BlobServiceUri, identity, blobOptions);
            Queues = new QueueServiceClient(options.QueueServiceUri, identity, queueOptions);
        }
        else
        {
            throw new InvalidOperationException("Storage is not configured: set AzureWebJobsStorage to a connection string, or AzureWebJobsStorage__blobServiceUri, __queueServiceUri and __tableServiceUri.");
        }
    }

    /// <summary>
    /// The SDK's defaults (100 s per try, delays up to a minute) let a request hang for minutes while storage is down; these
    /// bound one storage call to about 4 × 10 s when storage hangs and to about 2 s when it refuses connections, so a request
    /// is answered (503, see <see cref="StorageFailures"/>) well within a client's patience.
    /// </summary>
    public static void BoundRetries(RetryOptions retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        retry.Mode = RetryMode.Exponential;
        retry.MaxRetries = 3;
        retry.Delay = TimeSpan.FromMilliseconds(200);
        retry.MaxDelay = TimeSpan.FromSeconds(2);
        retry.NetworkTimeout = TimeSpan.FromSeconds(10);
    }

    public TableServiceClient Tables { get; }

    public BlobServiceClient Blobs { get; }

    public QueueServiceClient Queues { get; }

    public TableClient Table(string name) => Tables.GetTableClient(name);

    public BlobContainerClient Container(string name) => Blobs.GetBlobContainerClient(name);

    public QueueClient Queue(string name) => Queues.GetQueueClient(name);

    /// <summary>Creates every table, container and queue that is missing. Safe to run at every start.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        foreach (var table in StorageNames.Tables)
        {
            await Tables.CreateTableIfNotExistsAsync(table, cancellationToken);
        }

        foreach (var container in StorageNames.Containers)
        {
            await Container(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }

        foreach (var queue in StorageNames.Queues)
        {
            await Queue(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
    }
}

/// <summary>How to reach storage: the <c>AzureWebJobsStorage</c> setting, as the Functions host reads it.</summary>
public sealed class StorageOptions
{
    public string? ConnectionString { get; set; }

    public Uri? BlobServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    public Uri? TableServiceUri { get; set; }

    /// <summary>Client id of a user-assigned managed identity; empty for the system-assigned one.</summary>
    public string? ClientId { get; set; }

    /// <summary>Reads <c>AzureWebJobsStorage</c> the way the Functions host does: a connection string, or a section of service URIs for managed identity.</summary>
    public static StorageOptions FromConfiguration(IConfiguration configuration)
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
}

/// <summary>The one Azure identity of the app (storage, Key Vault, telemetry): the user-assigned managed identity when its client id is set.</summary>
public static class AzureIdentity
{
    public static TokenCredential Create(string? clientId) =>
        string.IsNullOrEmpty(clientId) ? new DefaultAzureCredential() : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
}
