namespace ELicence.Storage.StatusLists;

/// <summary>The two status list queues; a publish is sent invisible for the debounce delay.</summary>
public sealed class StatusListQueue(StorageClients storage) : IStatusListQueue
{
    public Task EnqueueSyncAsync(CreditCode code, CancellationToken cancellationToken) =>
        storage.Queue(StorageNames.StatusSyncQueue).SendMessageAsync(ElicenceJson.Serialize(new StatusSyncMessage(code.Value)), cancellationToken);

    public Task EnqueuePublishAsync(int listNumber, TimeSpan delay, CancellationToken cancellationToken) =>
        storage.Queue(StorageNames.StatusPublishQueue).SendMessageAsync(ElicenceJson.Serialize(new StatusPublishMessage(listNumber)), visibilityTimeout: delay, cancellationToken: cancellationToken);
}
