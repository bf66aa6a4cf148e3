using ELicence.Core.Operations;

namespace ELicence.Storage.Operations;

/// <summary>One cheap read per storage service, of resources the service always has: the verifiers table, the keys container, the issuance queue.</summary>
public sealed class StorageProbe(StorageClients storage) : IStorageProbe
{
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in storage.Table(StorageNames.VerifiersTable).QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken).AsPages(pageSizeHint: 1))
        {
            break;
        }

        await storage.Container(StorageNames.KeysContainer).GetPropertiesAsync(cancellationToken: cancellationToken);
        await storage.Queue(StorageNames.IssuanceQueue).GetPropertiesAsync(cancellationToken);
    }
}
