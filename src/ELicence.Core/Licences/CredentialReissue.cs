using ELicence.Core.Callers;
using ELicence.Core.Keys;
using ELicence.Core.CreditCodes;
using ELicence.Jose;

namespace ELicence.Core.Licences;

/// <summary>What re-issuing one licence's credential came to.</summary>
public enum ReissueOutcome
{
    /// <summary>A new version, identical in content, was committed and signed with the active key.</summary>
    Reissued,

    /// <summary>The current credential is signed by another key already (an amendment or an earlier run re-issued it).</summary>
    NotNeeded,

    /// <summary>The licence is revoked or deregistered: its status is what a verifier is told, so nothing is re-signed.</summary>
    Final,
}

/// <summary>
/// Re-issues a licence's current credential under the active key after its key was withdrawn. A credential is write-once
/// per version, so the re-issue is a new version with the same content (same details, status and dates; a new credential
/// id and status-list index), committed like an amendment: the superseded version is marked revoked in the status list
/// and answers <c>superseded</c>/<c>key-compromised</c>, the new one verifies. Repeating it is harmless: once the current
/// credential is signed by another key there is nothing to do.
/// </summary>
public sealed class CredentialReissue(LicenceChangeCommitter committer, ISequenceAllocator sequence, ILicenceStore licences, ICredentialStore credentials, IKeyRingProvider keys, IKeyRingEditor ring)
{
    public static Actor ReissueActor { get; } = new("system:key-compromise", "ELicence key-compromise re-issue", ActorKind.System);

    /// <summary>Every current licence (one row per licence), whatever its status.</summary>
    public async IAsyncEnumerable<Licence> AllCurrentAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var status in Enum.GetValues<LicenceStatus>())
        {
            await foreach (var licence in licences.FindByStatusAsync(status, cancellationToken))
            {
                yield return licence;
            }
        }
    }

    /// <summary>The kid of the stored credential of the licence's current version; null when none is stored yet (it will be signed with the active key when first fetched).</summary>
    public async Task<string?> CurrentKeyIdAsync(Licence licence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(licence);
        var stored = await credentials.FindAsync(licence.Code, licence.Version, cancellationToken);
        return stored is not null && CompactJws.TryParse(stored, out var jws, out _) ? jws.KeyId : null;
    }

    public static bool IsFinal(Licence licence) => licence?.Status is LicenceStatus.Revoked or LicenceStatus.Deregistered;

    public async Task<(ReissueOutcome Outcome, int Version)> ReissueAsync(CreditCode code, string withdrawnKeyId, CancellationToken cancellationToken)
    {
        var licence = await licences.GetCurrentAsync(code, cancellationToken);
        if (IsFinal(licence))
        {
            return (ReissueOutcome.Final, licence.Version);
        }

        if (await CurrentKeyIdAsync(licence, cancellationToken) != withdrawnKeyId)
        {
            return (ReissueOutcome.NotNeeded, licence.Version);
        }

        var current = await keys.GetAsync(cancellationToken);
        if (current.StateOf(withdrawnKeyId) != KeyState.Compromised)
        {
            // This instance's ring predates the withdrawal (instances refresh every few minutes): read the stored one now,
            // so that the committer below signs with the successor and never with the withdrawn key.
            current = (await ring.UpdateAsync(_ => null, cancellationToken)).Ring;
        }

        if (current.StateOf(withdrawnKeyId) != KeyState.Compromised)
        {
            throw new InvalidOperationException($"Key {withdrawnKeyId} is not withdrawn in the stored ring; nothing is re-issued.");
        }

        var signing = current.Signing.KeyId;
        var version = licence.Version + 1;
        var index = await sequence.AllocateAsync(Sequences.StatusListIndices, $"{licence.Code.Value}/v{version}", cancellationToken);
        var updated = licence with { Version = version, CredentialId = "urn:uuid:" + Guid.CreateVersion7(), StatusListIndex = index };
        var change = new PlannedChange(ReissueActor, licence, updated, "credential-reissued", $"The signing key {withdrawnKeyId} was withdrawn as compromised; the same licence is signed again.")
        {
            Changes = [new FieldChange("signingKey", withdrawnKeyId, signing)],
            AddsVersion = true,
        };
        var committed = await committer.CommitAsync(change, cancellationToken); // a concurrent change: 409, the queue retries and looks again
        return (ReissueOutcome.Reissued, committed.Version);
    }
}
