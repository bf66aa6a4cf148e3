using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace ELicence.Core.UnitTests.Fakes;

/// <summary>Wraps a licence store and counts the calls of each method, to pin how many storage round trips a path makes.</summary>
internal sealed class CountingLicenceStore(ILicenceStore inner) : ILicenceStore
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, int> Calls => _calls;

    public int Reads => _calls.Where(c => c.Key.StartsWith("Find", StringComparison.Ordinal) || c.Key.StartsWith("Get", StringComparison.Ordinal)).Sum(c => c.Value);

    public Task<bool> TryAddAsync(Licence licence, LicenceEvent issued, CancellationToken cancellationToken) => Count(inner.TryAddAsync(licence, issued, cancellationToken));

    public Task<Licence?> FindCurrentAsync(CreditCode code, CancellationToken cancellationToken) => Count(inner.FindCurrentAsync(code, cancellationToken));

    public Task<LicenceWithPermits?> FindCurrentWithPermitsAsync(CreditCode code, CancellationToken cancellationToken) => Count(inner.FindCurrentWithPermitsAsync(code, cancellationToken));

    public Task<Licence?> FindVersionAsync(CreditCode code, int version, CancellationToken cancellationToken) => Count(inner.FindVersionAsync(code, version, cancellationToken));

    public Task<IReadOnlyList<Licence>> FindVersionsAsync(CreditCode code, CancellationToken cancellationToken) => Count(inner.FindVersionsAsync(code, cancellationToken));

    public Task<Licence?> TrySaveAsync(LicenceChange change, CancellationToken cancellationToken) => Count(inner.TrySaveAsync(change, cancellationToken));

    public Task<IReadOnlyList<LicenceEvent>> GetHistoryAsync(CreditCode code, CancellationToken cancellationToken) => Count(inner.GetHistoryAsync(code, cancellationToken));

    public Task<IReadOnlyList<OperatingPermit>> GetPermitsAsync(CreditCode code, CancellationToken cancellationToken) => Count(inner.GetPermitsAsync(code, cancellationToken));

    public Task<IReadOnlyList<Objection>> GetObjectionsAsync(CreditCode code, CancellationToken cancellationToken) => Count(inner.GetObjectionsAsync(code, cancellationToken));

    public IAsyncEnumerable<Licence> FindByStatusAsync(LicenceStatus status, CancellationToken cancellationToken) => Count(inner.FindByStatusAsync(status, cancellationToken));

    public IAsyncEnumerable<CreditCode> FindPendingStatusSyncAsync(CancellationToken cancellationToken) => Count(inner.FindPendingStatusSyncAsync(cancellationToken));

    public Task ClearPendingStatusSyncAsync(CreditCode code, int changeSequence, CancellationToken cancellationToken) => Count(inner.ClearPendingStatusSyncAsync(code, changeSequence, cancellationToken));

    private T Count<T>(T result, [CallerMemberName] string method = "")
    {
        _calls.AddOrUpdate(method, 1, (_, n) => n + 1);
        return result;
    }
}
