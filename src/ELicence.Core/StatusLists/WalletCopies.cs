using ELicence.Core.CreditCodes;

namespace ELicence.Core.StatusLists;

/// <summary>
/// One SD-JWT VC issued to a wallet: its own status index, the licence version it shows, and the person (holder key) it was
/// issued to, so that removing or expiring that person withdraws it. <see cref="RevokedAt"/> is set once, never cleared.
/// </summary>
public sealed record WalletCopy(CreditCode Code, long Index, int Version, string? HolderKeyId, DateTimeOffset? HolderExpiresAt, DateTimeOffset IssuedAt, DateTimeOffset? RevokedAt)
{
    /// <summary>Whether the copy is withdrawn at <paramref name="now"/>: revoked, or its person's key expired.</summary>
    public bool WithdrawnAt(DateTimeOffset now) => RevokedAt is not null || HolderExpiresAt <= now;
}

/// <summary>The wallet copies of each licence (one partition per licence, one row per status index).</summary>
public interface IWalletCopyStore
{
    /// <summary>Records a copy; recording the same index again changes nothing.</summary>
    Task AddAsync(WalletCopy copy, CancellationToken cancellationToken);

    Task<WalletCopy?> FindAsync(CreditCode code, long index, CancellationToken cancellationToken);

    Task<IReadOnlyList<WalletCopy>> ListAsync(CreditCode code, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the licence's copies revoked: those issued to <paramref name="holderKeyId"/>, or every copy when it is null, or
    /// with <paramref name="expiredOnly"/> those whose person's key expired by <paramref name="at"/>. Returns how many changed.
    /// </summary>
    Task<int> RevokeAsync(CreditCode code, string? holderKeyId, DateTimeOffset at, CancellationToken cancellationToken, bool expiredOnly = false);

    /// <summary>The licences with a copy whose person's key expired by <paramref name="now"/> and that is not revoked yet.</summary>
    IAsyncEnumerable<CreditCode> FindExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>The published Token Status Lists: the current token of each list and every version by its <c>iat</c> and the list's change counter, written once.</summary>
public interface ITokenStatusListStore
{
    /// <param name="counter">The list's change counter it was built at: two versions signed in the same second keep both, in order.</param>
    Task SaveAsync(int listNumber, long issuedAt, long counter, string jws, CancellationToken cancellationToken);

    Task<string?> FindCurrentAsync(int listNumber, CancellationToken cancellationToken);

    /// <summary>The newest version issued at or before <paramref name="unixTime"/>, or null when none was.</summary>
    Task<string?> FindAtAsync(int listNumber, long unixTime, CancellationToken cancellationToken);
}
