using ELicence.Core.CreditCodes;

namespace ELicence.Core.Licences;

/// <summary>Licences by credit code: the current state and every version.</summary>
public interface ILicenceStore
{
    /// <summary>Stores a new licence (its first version); false when the code already has one.</summary>
    Task<bool> TryAddAsync(Licence licence, CancellationToken cancellationToken);

    Task<Licence?> FindCurrentAsync(CreditCode code, CancellationToken cancellationToken);
}

/// <summary>Signed credentials, one per licence version, written once.</summary>
public interface ICredentialStore
{
    /// <summary>Stores the token unless one is already stored for that version (a retry keeps the first).</summary>
    Task PutIfAbsentAsync(CreditCode code, int version, string jws, CancellationToken cancellationToken);

    Task<string?> FindAsync(CreditCode code, int version, CancellationToken cancellationToken);
}

/// <summary>Hands out registry sequence numbers; asking again for the same claimant returns the same number.</summary>
public interface ISequenceAllocator
{
    Task<long> AllocateAsync(string claimant, CancellationToken cancellationToken);
}
