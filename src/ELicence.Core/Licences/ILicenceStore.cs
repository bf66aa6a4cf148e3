using ELicence.Core.CreditCodes;

namespace ELicence.Core.Licences;

/// <summary>
/// One committed change of a licence: the licence as it becomes (carrying the ETag it was read with), its history event,
/// and, for an amendment, the new version; for a permit, the permit; objection rows added or updated. Stored all or nothing.
/// </summary>
public sealed record LicenceChange(Licence Updated, LicenceEvent Event, bool AddsVersion, OperatingPermit? Permit = null, IReadOnlyList<Objection>? Objections = null);

/// <summary>A licence as it stands with its operating permits (and its latest annual report on file, read in the same query).</summary>
public sealed record LicenceWithPermits(Licence Licence, IReadOnlyList<OperatingPermit> Permits)
{
    public AnnualReportStanding? AnnualReport { get; init; }
}


/// <summary>Licences by credit code: the current state, every version, the history and the permits.</summary>
public interface ILicenceStore
{
    /// <summary>Stores a new licence (its first version and its "issued" event); false when the code already has one.</summary>
    Task<bool> TryAddAsync(Licence licence, LicenceEvent issued, CancellationToken cancellationToken);

    Task<Licence?> FindCurrentAsync(CreditCode code, CancellationToken cancellationToken);

    /// <summary>The current licence and its permits in one read (they share a partition): the verification path.</summary>
    Task<LicenceWithPermits?> FindCurrentWithPermitsAsync(CreditCode code, CancellationToken cancellationToken);

    Task<Licence?> FindVersionAsync(CreditCode code, int version, CancellationToken cancellationToken);

    Task<IReadOnlyList<Licence>> FindVersionsAsync(CreditCode code, CancellationToken cancellationToken);

    /// <summary>
    /// Commits the change if the licence is unchanged since it was read (ETag). Returns the licence exactly as committed,
    /// with the ETag the commit gave it; null when someone else changed it first.
    /// </summary>
    Task<Licence?> TrySaveAsync(LicenceChange change, CancellationToken cancellationToken);

    Task<IReadOnlyList<LicenceEvent>> GetHistoryAsync(CreditCode code, CancellationToken cancellationToken);

    Task<IReadOnlyList<OperatingPermit>> GetPermitsAsync(CreditCode code, CancellationToken cancellationToken);

    /// <summary>The objections lodged against the licence's deregistration notices, oldest first.</summary>
    Task<IReadOnlyList<Objection>> GetObjectionsAsync(CreditCode code, CancellationToken cancellationToken);

    /// <summary>Current licences with this status (timers and the public notice list).</summary>
    IAsyncEnumerable<Licence> FindByStatusAsync(LicenceStatus status, CancellationToken cancellationToken);

    /// <summary>Codes whose last change has not yet reached the status list (a crash between commit and sync).</summary>
    IAsyncEnumerable<CreditCode> FindPendingStatusSyncAsync(CancellationToken cancellationToken);

    /// <summary>Clears the pending-sync mark, unless a newer change set it again after <paramref name="changeSequence"/>.</summary>
    Task ClearPendingStatusSyncAsync(CreditCode code, int changeSequence, CancellationToken cancellationToken);
}

/// <summary>Signed credentials, one per licence version, written once.</summary>
public interface ICredentialStore
{
    /// <summary>Stores the token unless one is already stored for that version (a retry keeps the first).</summary>
    Task PutIfAbsentAsync(CreditCode code, int version, string jws, CancellationToken cancellationToken);

    Task<string?> FindAsync(CreditCode code, int version, CancellationToken cancellationToken);
}

/// <summary>Hands out numbers of a named sequence; asking again for the same claimant returns the same number; numbers are never reused.</summary>
public interface ISequenceAllocator
{
    Task<long> AllocateAsync(string sequence, string claimant, CancellationToken cancellationToken);
}

/// <summary>The named sequences.</summary>
public static class Sequences
{
    /// <summary>Credit code serial numbers of this registry.</summary>
    public const string CreditCodes = "registry";

    /// <summary>Status list indices, one per credential version.</summary>
    public const string StatusListIndices = "statuslist";
}
