using ELicence.Core.CreditCodes;
using ELicence.Core.Keys;
using ELicence.Core.Licences;
using ELicence.Core.Presentations;
using ELicence.Core.Receipts;

namespace ELicence.Benchmarks;

/// <summary>
/// The storage ports of the verify path in memory, for benchmarks of its CPU and memory alone: one prepared licence row
/// with its permits and its issued credential. The rest of the store is not on that path and refuses to be called.
/// </summary>
internal sealed class PreparedRegister(LicenceWithPermits row, string credential) : ILicenceStore, ICredentialStore
{
    public Task<LicenceWithPermits?> FindCurrentWithPermitsAsync(CreditCode code, CancellationToken cancellationToken) =>
        Task.FromResult(code == row.Licence.Code ? row : null);

    public Task<Licence?> FindCurrentAsync(CreditCode code, CancellationToken cancellationToken) =>
        Task.FromResult(code == row.Licence.Code ? row.Licence : null);

    public Task<string?> FindAsync(CreditCode code, int version, CancellationToken cancellationToken) =>
        Task.FromResult(code == row.Licence.Code && version == row.Licence.Version ? credential : null);

    public Task PutIfAbsentAsync(CreditCode code, int version, string jws, CancellationToken cancellationToken) => throw OffPath();

    public Task<bool> TryAddAsync(Licence licence, LicenceEvent issued, CancellationToken cancellationToken) => throw OffPath();

    public Task<Licence?> FindVersionAsync(CreditCode code, int version, CancellationToken cancellationToken) => throw OffPath();

    public Task<IReadOnlyList<Licence>> FindVersionsAsync(CreditCode code, CancellationToken cancellationToken) => throw OffPath();

    public Task<Licence?> TrySaveAsync(LicenceChange change, CancellationToken cancellationToken) => throw OffPath();

    public Task<IReadOnlyList<LicenceEvent>> GetHistoryAsync(CreditCode code, CancellationToken cancellationToken) => throw OffPath();

    public Task<IReadOnlyList<OperatingPermit>> GetPermitsAsync(CreditCode code, CancellationToken cancellationToken) => throw OffPath();

    public Task<IReadOnlyList<Objection>> GetObjectionsAsync(CreditCode code, CancellationToken cancellationToken) => throw OffPath();

    public IAsyncEnumerable<Licence> FindByStatusAsync(LicenceStatus status, CancellationToken cancellationToken) => throw OffPath();

    public IAsyncEnumerable<CreditCode> FindPendingStatusSyncAsync(CancellationToken cancellationToken) => throw OffPath();

    public Task ClearPendingStatusSyncAsync(CreditCode code, int changeSequence, CancellationToken cancellationToken) => throw OffPath();

    private static NotSupportedException OffPath() => new("Not on the verify path.");
}

internal sealed class PreparedKeyRing(KeyRing ring) : IKeyRingProvider
{
    public ValueTask<KeyRing> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(ring);
}

/// <summary>Receipts are signed and handed over, then dropped: kept, millions of iterations would measure the heap.</summary>
internal sealed class DiscardedReceipts : IReceiptStore
{
    public Task SaveAsync(StoredReceipt receipt, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<StoredReceipt?> FindAsync(string id, CancellationToken cancellationToken) => Task.FromResult<StoredReceipt?>(null);
}

internal sealed class NoPresentationUses : IPresentationUseStore
{
    public Task<bool> TryRecordAsync(string keyBindingSha256, DateTimeOffset at, CancellationToken cancellationToken) => Task.FromResult(true);
}

internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
