using System.Collections.Concurrent;

namespace ELicence.Storage.Licences;

/// <summary>
/// Sequence numbers (credit code serials, status list indices). A sequence's counter and every claim live in one partition (the sequence's name), so "advance the counter" and
/// "record who got the number" commit together in one entity-group transaction guarded by the counter's ETag:
/// a number is never handed out twice, and a claimant asking again gets its own number back.
/// </summary>
/// <remarks>
/// Allocations of one sequence are group-committed: one transaction at a time per instance advances the counter for every
/// claimant waiting (up to 99, the transaction limit being 100 actions), with the counter and its ETag kept from the last
/// commit. So a burst of issuances costs one round trip per group instead of ETag races that retry each other out
/// (several instances still race on the ETag: the loser reads the counter again and retries).
/// </remarks>
public sealed class SequenceAllocator(StorageClients storage) : ISequenceAllocator
{
    private const string CounterRow = "counter";
    private const int MaxGroup = 99;
    private const int MaxAttempts = 100;
    private readonly TableClient _table = storage.Table(StorageNames.SequenceTable);
    private readonly ConcurrentDictionary<string, SequenceState> _sequences = new(StringComparer.Ordinal);

    public async Task<long> AllocateAsync(string sequence, string claimant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claimant);
        var claimRow = "claim-" + claimant.Replace('/', '~');
        // Sequences and claimants are the service's own names (a sequence constant; an application id or "{code}/v{n}"), never caller text.
        if (!TableExtensions.IsKeySafe(sequence) || !TableExtensions.IsKeySafe(claimRow))
        {
            throw new ArgumentException($"Sequence '{sequence}' and claimant '{claimant}' must be usable as table keys.", nameof(claimant));
        }

        var state = _sequences.GetOrAdd(sequence, s => new SequenceState(s));
        var claim = new Claim(claimRow);
        lock (state.Waiting)
        {
            state.Waiting.Enqueue(claim);
        }

        // Whoever holds the gate commits for everyone waiting (not cancellable: the group is not only its own); a claimant
        // whose number came with an earlier group is done as soon as it gets the gate. A claimant that gave up waiting may
        // still get a number: its claim row keeps it, and asking again returns it.
        await state.Gate.WaitAsync(cancellationToken);
        try
        {
            while (!claim.Number.Task.IsCompleted)
            {
                await CommitAsync(state, TakeGroup(state));
            }
        }
        finally
        {
            state.Gate.Release();
        }

        return await claim.Number.Task;
    }

    private static List<Claim> TakeGroup(SequenceState state)
    {
        lock (state.Waiting)
        {
            var group = new List<Claim>();
            while (group.Count < MaxGroup && state.Waiting.TryDequeue(out var next))
            {
                group.Add(next);
            }

            return group;
        }
    }

    /// <summary>Gives every claimant of the group its number (or the failure), the counter advanced once for all of them.</summary>
    private async Task CommitAsync(SequenceState state, List<Claim> group)
    {
        try
        {
            // The same claimant twice in one group (two concurrent asks) gets one row and one number.
            var rows = group.GroupBy(c => c.Row, StringComparer.Ordinal).ToList();
            for (var attempt = 0; rows.Count > 0; attempt++)
            {
                if (state.Next is null)
                {
                    var counter = await _table.FindAsync<TableEntity>(state.Partition, CounterRow, CancellationToken.None);
                    (state.Next, state.ETag) = (counter?.GetInt64("Next") ?? 0L, counter?.ETag);
                }

                var next = state.Next.Value;
                var actions = new List<TableTransactionAction>
                {
                    state.ETag is { } etag
                        ? new(TableTransactionActionType.UpdateReplace, new TableEntity(state.Partition, CounterRow) { ["Next"] = next + rows.Count }, etag)
                        : new(TableTransactionActionType.Add, new TableEntity(state.Partition, CounterRow) { ["Next"] = next + rows.Count }),
                };
                actions.AddRange(rows.Select((r, i) => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(state.Partition, r.Key) { ["Number"] = next + i })));
                try
                {
                    var response = await _table.SubmitTransactionAsync(actions, CancellationToken.None);
                    // Without the counter's new ETag in the answer, the next group reads the counter first.
                    state.ETag = response.Value[0].Headers.ETag;
                    state.Next = state.ETag is null ? null : next + rows.Count;
                    for (var i = 0; i < rows.Count; i++)
                    {
                        Complete(rows[i], next + i);
                    }

                    return;
                }
                catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
                {
                    // Another instance moved the counter, or a claimant asked before and has its number: read both again.
                    state.Next = null;
                    var existing = await Task.WhenAll(rows.Select(r => _table.FindAsync<TableEntity>(state.Partition, r.Key, CancellationToken.None)));
                    for (var i = 0; i < rows.Count; i++)
                    {
                        if (existing[i] is { } found)
                        {
                            Complete(rows[i], found.GetInt64("Number") ?? throw new InvalidDataException($"Claim {rows[i].Key} has no number."));
                        }
                    }

                    rows = [.. rows.Where((_, i) => existing[i] is null)];
                    if (attempt > 0)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 + Math.Min(attempt, 20) * 10)), CancellationToken.None);
                    }
                }
            }
        }
        catch (Exception e)
        {
            // Whatever is not done failed with the group: those claimants may ask again.
            state.Next = null;
            foreach (var claim in group)
            {
                claim.Number.TrySetException(e);
            }
        }
    }

    private static void Complete(IEnumerable<Claim> claims, long number)
    {
        foreach (var claim in claims)
        {
            claim.Number.TrySetResult(number);
        }
    }

    private sealed class SequenceState(string partition)
    {
        public string Partition { get; } = partition;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public Queue<Claim> Waiting { get; } = new();

        /// <summary>The counter's value and ETag after this instance's last commit; null when it must be read.</summary>
        public long? Next { get; set; }

        public ETag? ETag { get; set; }
    }

    private sealed class Claim(string row)
    {
        public string Row { get; } = row;

        public TaskCompletionSource<long> Number { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
