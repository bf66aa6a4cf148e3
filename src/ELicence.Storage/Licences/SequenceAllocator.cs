namespace ELicence.Storage.Licences;

/// <summary>
/// Sequence numbers (credit code serials, status list indices). A sequence's counter and every claim live in one partition (the sequence's name), so "advance the counter" and
/// "record who got the number" commit together in one entity-group transaction guarded by the counter's ETag:
/// a number is never handed out twice, and a claimant asking again gets its own number back.
/// </summary>
public sealed class SequenceAllocator(StorageClients storage) : ISequenceAllocator
{
    private const string CounterRow = "counter";
    private readonly TableClient _table = storage.Table(StorageNames.SequenceTable);

    public async Task<long> AllocateAsync(string sequence, string claimant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claimant);
        var partition = sequence;
        var claimRow = "claim-" + claimant.Replace('/', '~');
        // Sequences and claimants are the service's own names (a sequence constant; an application id or "{code}/v{n}"), never caller text.
        if (!TableExtensions.IsKeySafe(partition) || !TableExtensions.IsKeySafe(claimRow))
        {
            throw new ArgumentException($"Sequence '{sequence}' and claimant '{claimant}' must be usable as table keys.", nameof(claimant));
        }

        for (var attempt = 0; ; attempt++)
        {
            var claim = await _table.FindAsync<TableEntity>(partition, claimRow, cancellationToken);
            if (claim is not null)
            {
                return claim.GetInt64("Number") ?? throw new InvalidDataException($"Claim {claimRow} has no number.");
            }

            var counter = await _table.FindAsync<TableEntity>(partition, CounterRow, cancellationToken);
            var next = counter?.GetInt64("Next") ?? 0L;
            var actions = new List<TableTransactionAction>
            {
                counter is null
                    ? new(TableTransactionActionType.Add, new TableEntity(partition, CounterRow) { ["Next"] = next + 1 })
                    : new(TableTransactionActionType.UpdateReplace, new TableEntity(partition, CounterRow) { ["Next"] = next + 1 }, counter.ETag),
                new(TableTransactionActionType.Add, new TableEntity(partition, claimRow) { ["Number"] = next }),
            };
            try
            {
                await _table.SubmitTransactionAsync(actions, cancellationToken);
                return next;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                // Another allocation won the race (or this claimant's own earlier attempt did): read again.
                if (attempt > 100)
                {
                    throw;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 + (attempt * 10))), cancellationToken);
            }
        }
    }
}
