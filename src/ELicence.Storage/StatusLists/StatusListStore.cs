namespace ELicence.Storage.StatusLists;

/// <summary>
/// Status list entries in table "statusentries" (partition = list number, row = position), each list's change counter
/// in "statuslists", and the signed, published lists as blobs <c>{purpose}/{list}.jwt</c>.
/// </summary>
public sealed class StatusListStore(StorageClients storage, TimeProvider time) : IStatusListStore
{
    private const string StatePartition = "list";
    private readonly TableClient _entries = storage.Table(StorageNames.StatusEntriesTable);
    private readonly TableClient _lists = storage.Table(StorageNames.StatusListsTable);
    private readonly BlobContainerClient _published = storage.Container(StorageNames.StatusListsContainer);

    /// <summary>One counter update per list at a time within the instance, so a burst of syncs queues here instead of racing on the row's ETag.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, SemaphoreSlim> _counterGates = new();

    public async Task UpsertEntriesAsync(IReadOnlyList<StatusEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            await _entries.UpsertEntityAsync(
                new TableEntity(Key(StatusListCredentials.ListNumber(entry.Index)), Key(StatusListCredentials.Position(entry.Index)))
                {
                    ["Index"] = entry.Index,
                    ["Code"] = entry.Code,
                    ["Version"] = entry.Version,
                    ["Revoked"] = entry.Revoked,
                    ["Suspended"] = entry.Suspended,
                },
                TableUpdateMode.Replace,
                cancellationToken);
        }
    }

    public async Task<IReadOnlyList<StatusEntry>> GetEntriesAsync(int listNumber, CancellationToken cancellationToken)
    {
        var entries = new List<StatusEntry>();
        var partition = Key(listNumber);
        await foreach (var e in _entries.QueryAsync<TableEntity>(x => x.PartitionKey == partition, cancellationToken: cancellationToken))
        {
            entries.Add(new StatusEntry(e.GetInt64("Index") ?? 0, e.GetString("Code"), e.GetInt32("Version") ?? 0, e.GetBoolean("Revoked") ?? false, e.GetBoolean("Suspended") ?? false));
        }

        return entries;
    }

    public async Task<bool> MarkChangedAsync(int listNumber, CancellationToken cancellationToken)
    {
        var gate = _counterGates.GetOrAdd(listNumber, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await IncrementCounterAsync(listNumber, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<bool> IncrementCounterAsync(int listNumber, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var row = await _lists.FindAsync<TableEntity>(StatePartition, Key(listNumber), cancellationToken);
            var counter = row?.GetInt64("Counter") ?? 0;
            var published = row?.GetInt64("Published") ?? 0;
            // The first unpublished change starts the clock the health check reads; later ones keep it.
            var dirtySince = counter == published ? time.GetUtcNow() : row?.GetDateTimeOffset("DirtySince") ?? time.GetUtcNow();
            var updated = new TableEntity(StatePartition, Key(listNumber)) { ["Counter"] = counter + 1, ["Published"] = published, ["DirtySince"] = dirtySince };
            var done = row is null ? await _lists.TryAddAsync(updated, cancellationToken) : await _lists.TryReplaceAsync(updated, row.ETag, cancellationToken);
            if (done)
            {
                return counter == published;
            }

            if (attempt > 50)
            {
                throw new InvalidOperationException($"Status list {listNumber} kept changing under the update.");
            }
        }
    }

    public async Task<StatusListState?> GetStateAsync(int listNumber, CancellationToken cancellationToken)
    {
        var row = await _lists.FindAsync<TableEntity>(StatePartition, Key(listNumber), cancellationToken);
        return row is null ? null : State(row);
    }

    public async Task<StatusListState> MarkPublishedAsync(int listNumber, long counter, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var row = await _lists.FindAsync<TableEntity>(StatePartition, Key(listNumber), cancellationToken)
                ?? throw new InvalidOperationException($"Status list {listNumber} has no state.");
            var state = State(row);
            if (state.Published >= counter)
            {
                return state;
            }

            // Changes counted while publishing are unpublished from now on.
            DateTimeOffset? dirtySince = state.Counter > counter ? time.GetUtcNow() : null;
            var updated = new TableEntity(StatePartition, Key(listNumber)) { ["Counter"] = state.Counter, ["Published"] = counter, ["DirtySince"] = dirtySince };
            if (await _lists.TryReplaceAsync(updated, row.ETag, cancellationToken))
            {
                return state with { Published = counter, DirtySince = dirtySince };
            }

            if (attempt > 50)
            {
                throw new InvalidOperationException($"Status list {listNumber} kept changing under the update.");
            }
        }
    }

    public async IAsyncEnumerable<StatusListState> GetDirtyAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in _lists.QueryAsync<TableEntity>(x => x.PartitionKey == StatePartition, cancellationToken: cancellationToken))
        {
            var state = State(row);
            if (state.Counter > state.Published)
            {
                yield return state;
            }
        }
    }

    public Task SavePublishedAsync(StatusPurpose purpose, int listNumber, string jws, CancellationToken cancellationToken) =>
        _published.GetBlobClient(BlobName(purpose, listNumber)).UploadAsync(
            BinaryData.FromString(jws),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/vc+jwt" } },
            cancellationToken);

    public async Task<string?> FindPublishedAsync(StatusPurpose purpose, int listNumber, CancellationToken cancellationToken)
    {
        try
        {
            return (await _published.GetBlobClient(BlobName(purpose, listNumber)).DownloadContentAsync(cancellationToken)).Value.Content.ToString();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private static StatusListState State(TableEntity row) =>
        new(int.Parse(row.RowKey, CultureInfo.InvariantCulture), row.GetInt64("Counter") ?? 0, row.GetInt64("Published") ?? 0, row.GetDateTimeOffset("DirtySince"));

    private static string BlobName(StatusPurpose purpose, int listNumber) =>
        string.Create(CultureInfo.InvariantCulture, $"{StatusListCredentials.StatusPurposeName(purpose)}/{listNumber}.jwt");

    private static string Key(int number) => number.ToString("D6", CultureInfo.InvariantCulture);
}
