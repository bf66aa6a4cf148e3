using System.Collections.Concurrent;
using ELicence.Core.KeyManagement;

namespace ELicence.Core.UnitTests.Fakes;

/// <summary>Credentials by code and version, written once.</summary>
internal sealed class InMemoryCredentialStore : ICredentialStore
{
    private readonly ConcurrentDictionary<(string, int), string> _tokens = new();

    public int Writes { get; private set; }

    public Task PutIfAbsentAsync(CreditCode code, int version, string jws, CancellationToken cancellationToken)
    {
        Writes++;
        _tokens.TryAdd((code.Value, version), jws);
        return Task.CompletedTask;
    }

    /// <summary>How many times a stored credential was read (a verification by digest reads none).</summary>
    public int Reads { get; private set; }

    public Task<string?> FindAsync(CreditCode code, int version, CancellationToken cancellationToken)
    {
        Reads++;
        return Task.FromResult(_tokens.TryGetValue((code.Value, version), out var jws) ? jws : null);
    }

    /// <summary>Loses a stored credential, as a crash between commit and write would.</summary>
    public void Lose(CreditCode code, int version) => _tokens.TryRemove((code.Value, version), out _);
}

/// <summary>Receipts, write-once.</summary>
internal sealed class InMemoryReceiptStore : IReceiptStore
{
    private readonly ConcurrentDictionary<string, StoredReceipt> _receipts = new(StringComparer.Ordinal);

    public IReadOnlyCollection<StoredReceipt> All => [.. _receipts.Values];

    public Task SaveAsync(StoredReceipt receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return _receipts.TryAdd(receipt.Id, receipt) ? Task.CompletedTask : throw new InvalidOperationException($"Receipt {receipt.Id} exists already.");
    }

    public Task<StoredReceipt?> FindAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_receipts.TryGetValue(id, out var r) ? r : null);
}

/// <summary>Batch receipts, write-once.</summary>
internal sealed class InMemoryBatchReceiptStore : IBatchReceiptStore
{
    private readonly ConcurrentDictionary<string, StoredBatchReceipt> _receipts = new(StringComparer.Ordinal);

    public IReadOnlyCollection<StoredBatchReceipt> All => [.. _receipts.Values];

    public Task SaveAsync(StoredBatchReceipt receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return _receipts.TryAdd(receipt.Id, receipt) ? Task.CompletedTask : throw new InvalidOperationException($"Receipt {receipt.Id} exists already.");
    }

    public Task<StoredBatchReceipt?> FindAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_receipts.TryGetValue(id, out var r) ? r : null);
}

/// <summary>Named sequences; a claimant asking again gets its number back.</summary>
internal sealed class InMemorySequenceAllocator : ISequenceAllocator
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _next = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), long> _claims = [];

    public Task<long> AllocateAsync(string sequence, string claimant, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_claims.TryGetValue((sequence, claimant), out var number))
            {
                number = _next.GetValueOrDefault(sequence);
                _next[sequence] = number + 1;
                _claims[(sequence, claimant)] = number;
            }

            return Task.FromResult(number);
        }
    }
}

/// <summary>Records what was queued for the status lists.</summary>
internal sealed class RecordingStatusListQueue : IStatusListQueue
{
    public ConcurrentQueue<string> Syncs { get; } = new();

    public int Publishes { get; private set; }

    public Task EnqueueSyncAsync(CreditCode code, CancellationToken cancellationToken)
    {
        Syncs.Enqueue(code.Value);
        return Task.CompletedTask;
    }

    public Task EnqueuePublishAsync(int listNumber, TimeSpan delay, CancellationToken cancellationToken)
    {
        Publishes++;
        return Task.CompletedTask;
    }
}

/// <summary>Applications with ETag semantics.</summary>
internal sealed class InMemoryApplicationStore : IApplicationStore
{
    private readonly ConcurrentDictionary<string, LicenceApplication> _applications = new(StringComparer.Ordinal);
    private int _etags;

    public Task<LicenceApplication?> TryAddAsync(LicenceApplication application, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(application);
        var stored = application with { ETag = NewETag() };
        return Task.FromResult(_applications.TryAdd(application.Id, stored) ? stored : null);
    }

    public Task<LicenceApplication?> FindAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_applications.TryGetValue(id, out var a) ? a : null);

    public Task<bool> TryUpdateAsync(LicenceApplication application, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(application);
        return Task.FromResult(_applications.TryGetValue(application.Id, out var current) && current.ETag == application.ETag
            && _applications.TryUpdate(application.Id, application with { ETag = NewETag() }, current));
    }

    private string NewETag() => "a" + Interlocked.Increment(ref _etags).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Idempotency keys: the first record wins.</summary>
internal sealed class InMemoryIdempotencyStore : IIdempotencyStore
{
    private readonly ConcurrentDictionary<(string, string), IdempotencyRecord> _records = new();

    public Task<IdempotencyRecord> GetOrAddAsync(IdempotencyRecord candidate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return Task.FromResult(_records.GetOrAdd((candidate.CallerId, candidate.Key), candidate));
    }
}

/// <summary>Records the applications queued for issuance.</summary>
internal sealed class RecordingIssuanceQueue : IIssuanceQueue
{
    public ConcurrentQueue<string> Queued { get; } = new();

    public Task EnqueueAsync(string applicationId, CancellationToken cancellationToken)
    {
        Queued.Enqueue(applicationId);
        return Task.CompletedTask;
    }
}

/// <summary>API keys by id.</summary>
internal sealed class InMemoryApiKeyStore : IApiKeyStore
{
    private readonly ConcurrentDictionary<string, ApiKeyRecord> _keys = new(StringComparer.Ordinal);

    public int Lookups { get; private set; }

    public IReadOnlyCollection<ApiKeyRecord> All => [.. _keys.Values];

    public Task<ApiKeyRecord?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        Lookups++;
        return Task.FromResult(_keys.TryGetValue(keyId, out var r) ? r : null);
    }

    public Task AddAsync(ApiKeyRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _keys.TryAdd(record.KeyId, record) ? Task.CompletedTask : throw new InvalidOperationException("Duplicate key id.");
    }

    public Task RevokeAsync(string keyId, CancellationToken cancellationToken)
    {
        if (_keys.TryGetValue(keyId, out var record))
        {
            _keys[keyId] = record with { Revoked = true };
        }

        return Task.CompletedTask;
    }
}

/// <summary>A key ring that is simply there.</summary>
internal sealed class FixedKeyRing(KeyRing ring) : IKeyRingProvider
{
    public KeyRing Ring { get; set; } = ring;

    public ValueTask<KeyRing> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Ring);
}

/// <summary>The stored key ring with a version per write, replaced only at the version read (as the blob ETag does).</summary>
internal sealed class InMemoryKeyRingStore : IKeyRingStore
{
    private readonly Lock _gate = new();
    private StoredKeyRing? _stored;
    private int _writes;

    public int Replacements { get; private set; }

    public Task<StoredKeyRing?> LoadAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_stored);
        }
    }

    public Task<bool> TryCreateAsync(byte[] document, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_stored is not null)
            {
                return Task.FromResult(false);
            }

            _stored = new StoredKeyRing(document, (++_writes).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return Task.FromResult(true);
        }
    }

    public Task<bool> TryReplaceAsync(byte[] document, string version, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_stored?.Version != version)
            {
                return Task.FromResult(false);
            }

            _stored = new StoredKeyRing(document, (++_writes).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Replacements++;
            return Task.FromResult(true);
        }
    }
}

/// <summary>Re-issue jobs in memory, with the store's write-once and merge semantics.</summary>
internal sealed class InMemoryReissueStore : IReissueStore
{
    private readonly Dictionary<string, (DateTimeOffset StartedAt, string Reason, bool Scanned)> _jobs = [];
    private readonly Dictionary<(string Kid, string Code), ReissueItem> _items = [];

    public Task StartAsync(string kid, DateTimeOffset startedAt, string reason, CancellationToken cancellationToken)
    {
        _jobs.TryAdd(kid, (startedAt, reason, false));
        return Task.CompletedTask;
    }

    public Task<ReissueJob?> FindAsync(string kid, CancellationToken cancellationToken) =>
        Task.FromResult(_jobs.TryGetValue(kid, out var job)
            ? new ReissueJob(kid, job.StartedAt, job.Reason, job.Scanned, [.. _items.Where(i => i.Key.Kid == kid).Select(i => i.Value)])
            : null);

    public Task AddAsync(string kid, CreditCode code, CancellationToken cancellationToken)
    {
        _items.TryAdd((kid, code.Value), new ReissueItem(code.Value, null, null));
        return Task.CompletedTask;
    }

    public Task CompleteAsync(string kid, CreditCode code, ReissueOutcome outcome, int version, CancellationToken cancellationToken)
    {
        if (_items.TryGetValue((kid, code.Value), out var item) && item.Outcome is null)
        {
            _items[(kid, code.Value)] = new ReissueItem(code.Value, outcome, version);
        }

        return Task.CompletedTask;
    }

    public Task MarkScannedAsync(string kid, CancellationToken cancellationToken)
    {
        _jobs[kid] = _jobs[kid] with { Scanned = true };
        return Task.CompletedTask;
    }
}

/// <summary>The key-reissue queue as a list a test drains by hand (and may deliver twice).</summary>
internal sealed class RecordingReissueQueue : IReissueQueue
{
    public List<ReissueMessage> Messages { get; } = [];

    public Task EnqueueAsync(ReissueMessage message, CancellationToken cancellationToken)
    {
        Messages.Add(message);
        return Task.CompletedTask;
    }
}

/// <summary>Used presentations in memory, added once like the table rows.</summary>
public sealed class InMemoryPresentationUseStore : ELicence.Core.Presentations.IPresentationUseStore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _uses = new(StringComparer.Ordinal);

    public int Count => _uses.Count;

    public Task<bool> TryRecordAsync(string keyBindingSha256, DateTimeOffset at, CancellationToken cancellationToken) =>
        Task.FromResult(_uses.TryAdd(keyBindingSha256, at));
}
