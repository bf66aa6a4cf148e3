using System.Runtime.CompilerServices;
using ELicence.Core.CreditCodes;
using ELicence.Core.StatusLists;

namespace ELicence.Core.UnitTests.Fakes;

/// <summary>Wallet copies by licence and status index, as the table keeps them.</summary>
internal sealed class InMemoryWalletCopyStore : IWalletCopyStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Code, long Index), WalletCopy> _copies = [];

    public Task AddAsync(WalletCopy copy, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _copies.TryAdd((copy.Code.Value, copy.Index), copy);
        }

        return Task.CompletedTask;
    }

    public Task<WalletCopy?> FindAsync(CreditCode code, long index, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_copies.GetValueOrDefault((code.Value, index)));
        }
    }

    public Task<IReadOnlyList<WalletCopy>> ListAsync(CreditCode code, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<WalletCopy>>([.. _copies.Values.Where(c => c.Code == code).OrderBy(c => c.Index)]);
        }
    }

    public Task<int> RevokeAsync(CreditCode code, string? holderKeyId, DateTimeOffset at, CancellationToken cancellationToken, bool expiredOnly = false)
    {
        lock (_gate)
        {
            var changed = _copies.Values
                .Where(c => c.Code == code && c.RevokedAt is null)
                .Where(c => expiredOnly ? c.HolderExpiresAt <= at : holderKeyId is null || c.HolderKeyId == holderKeyId)
                .ToList();
            foreach (var copy in changed)
            {
                _copies[(copy.Code.Value, copy.Index)] = copy with { RevokedAt = at };
            }

            return Task.FromResult(changed.Count);
        }
    }

    public async IAsyncEnumerable<CreditCode> FindExpiredAsync(DateTimeOffset now, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<CreditCode> expired;
        lock (_gate)
        {
            expired = [.. _copies.Values.Where(c => c.RevokedAt is null && c.HolderExpiresAt <= now).Select(c => c.Code).Distinct()];
        }

        foreach (var code in expired)
        {
            await Task.Yield();
            yield return code;
        }
    }
}
