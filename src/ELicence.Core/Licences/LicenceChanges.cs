using ELicence.Core.Callers;
using ELicence.Core.Credentials;
using ELicence.Core.CreditCodes;
using ELicence.Core.Keys;
using ELicence.Core.StatusLists;

namespace ELicence.Core.Licences;

/// <summary>A change to commit: the licence as read and as it becomes, what happened and why, and what comes with it.</summary>
public sealed record PlannedChange(Actor Actor, Licence Before, Licence After, string EventType, string? Reason)
{
    public IReadOnlyList<FieldChange> Changes { get; init; } = [];

    /// <summary>An amendment: the licence gets a new version row and a new credential.</summary>
    public bool AddsVersion { get; init; }

    public OperatingPermit? Permit { get; init; }

    /// <summary>Set when the change takes effect on a supervisor's approval: the event names the proposer too.</summary>
    public EventApproval? Approval { get; init; }

    /// <summary>Objection rows written (added or updated) with the change.</summary>
    public IReadOnlyList<Objection> Objections { get; init; } = [];
}

public static class LicenceStoreExtensions
{
    /// <summary>The current licence, or a 404 problem naming the code.</summary>
    public static async Task<Licence> GetCurrentAsync(this ILicenceStore store, CreditCode code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return await store.FindCurrentAsync(code, cancellationToken) ?? throw ProblemException.LicenceNotFound(code.Value);
    }
}

/// <summary>
/// The one way a licence changes: load it (404 when absent, 412 when If-Match names an older version, 409 when its status
/// forbids the action), then commit the new state, its history event and its rows in one transaction guarded by the ETag
/// that was read. After the commit: the new version's credential and the status-list sync, both repeatable.
/// </summary>
public sealed class LicenceChangeCommitter(
    ILicenceStore licences,
    ICredentialStore credentials,
    IStatusListQueue statusQueue,
    IKeyRingProvider keys,
    IssuerOptions issuer,
    ICreditCodeExceptions codeExceptions,
    TimeProvider time)
{
    public TimeProvider Time => time;

    /// <summary>A credit code from a route or a stored reference, or a validation problem naming it.</summary>
    public CreditCode ParseCode(string code) => codeExceptions.ParseField(code);

    /// <summary>Loads the licence for <paramref name="action"/>, honouring If-Match.</summary>
    public async Task<Licence> LoadAsync(string code, string? ifMatch, LicenceAction action, CancellationToken cancellationToken)
    {
        var creditCode = codeExceptions.ParseField(code);
        var licence = await licences.GetCurrentAsync(creditCode, cancellationToken);
        if (ifMatch is not null && !ETags.Matches(ifMatch, licence.ETag))
        {
            throw new ProblemException(ProblemType.PreconditionFailed, $"Licence {creditCode} has changed since the version in If-Match; read it again (its ETag) and retry.");
        }

        LicenceLifecycle.Ensure(licence, action);
        return licence;
    }

    /// <summary>Commits the change; 409 when someone else changed the licence first. Returns the licence exactly as committed.</summary>
    public async Task<Licence> CommitAsync(PlannedChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return await TryCommitAsync(change, cancellationToken)
            ?? throw new ProblemException(ProblemType.Conflict, $"Licence {change.Before.Code} was changed by someone else at the same time; nothing of this request was stored. Read it again and retry.");
    }

    /// <summary>Commits the change; null when someone else changed the licence first (timers look again on their next run).</summary>
    public async Task<Licence?> TryCommitAsync(PlannedChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var (before, after) = (change.Before, change.After);
        var sequence = before.EventCount + 1;
        IReadOnlyList<FieldChange> statusChange = before.Status == after.Status ? [] : [new FieldChange("status", LicenceLifecycle.Kebab(before.Status), LicenceLifecycle.Kebab(after.Status))];
        // A new version is signed before the commit, so a version whose credential cannot be made is never committed.
        var ring = change.AddsVersion ? await keys.GetAsync(cancellationToken) : null;
        var credential = ring is null ? null : LicenceCredential.Sign(after, issuer, ring.Signing);
        var evt = new LicenceEvent(sequence, change.EventType, time.GetUtcNow(), change.Actor.Id, change.Actor.Name, after.Version, before.Status, after.Status, [.. statusChange, .. change.Changes], change.Reason)
        {
            Approval = change.Approval,
        };
        // The row keeps the digest of its version's credential: a new one with a new version, the old one otherwise.
        var digest = credential is null ? before.CredentialSha256 : Verification.LicenceChecker.Digest(credential);
        var committed = await licences.TrySaveAsync(
            new LicenceChange(after with { EventCount = sequence, ETag = before.ETag, CredentialSha256 = digest }, evt, change.AddsVersion, change.Permit, change.Objections),
            cancellationToken);
        if (committed is null)
        {
            return null;
        }

        // The new version's credential is deterministic: if a crash loses it here, fetching the credential signs it again.
        if (credential is not null)
        {
            await credentials.PutIfAbsentAsync(committed.Code, committed.Version, credential, cancellationToken);
        }

        await statusQueue.EnqueueSyncAsync(committed.Code, cancellationToken);
        return committed; // exactly the version this request committed, never a later one read back
    }
}

/// <summary>Entity tags as HTTP sends them.</summary>
public static class ETags
{
    /// <summary>True when an If-Match value (a list of tags, or *) matches the current tag. Weak tags compare by their opaque part.</summary>
    public static bool Matches(string ifMatch, string? current)
    {
        ArgumentNullException.ThrowIfNull(ifMatch);
        if (ifMatch.Trim() == "*")
        {
            return current is not null;
        }

        var currentTag = Opaque(current);
        return currentTag is not null && ifMatch.Split(',').Any(tag => Opaque(tag) == currentTag);
    }

    private static string? Opaque(string? tag)
    {
        var t = tag?.Trim();
        if (string.IsNullOrEmpty(t))
        {
            return null;
        }

        if (t.StartsWith("W/", StringComparison.Ordinal))
        {
            t = t[2..];
        }

        return t.Trim('"');
    }
}
