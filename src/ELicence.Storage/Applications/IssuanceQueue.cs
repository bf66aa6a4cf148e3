namespace ELicence.Storage.Applications;

public sealed class IssuanceQueue(StorageClients storage) : IIssuanceQueue
{
    public Task EnqueueAsync(string applicationId, CancellationToken cancellationToken) =>
        storage.Queue(StorageNames.IssuanceQueue).SendMessageAsync(ElicenceJson.Serialize(new IssueLicenceMessage(applicationId)), cancellationToken);
}
