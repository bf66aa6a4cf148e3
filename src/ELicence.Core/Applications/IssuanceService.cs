using ELicence.Core.Credentials;
using ELicence.Core.CreditCodes;
using ELicence.Core.Keys;
using ELicence.Core.Licences;
using ELicence.Core.Operations;
using ELicence.Core.StatusLists;
using ELicence.Core.Verification;

namespace ELicence.Core.Applications;

public enum IssuanceStep
{
    CodeAllocated,
    LicenceStored,
    CredentialStored,
    ApplicationMarkedIssued,
}

/// <summary>Sees each issuance step complete; the default does nothing. Tests use it to crash between steps.</summary>
public interface IIssuanceObserver
{
    void StepCompleted(LicenceApplication application, IssuanceStep step);
}

public sealed class NoIssuanceObserver : IIssuanceObserver
{
    public void StepCompleted(LicenceApplication application, IssuanceStep step)
    {
    }
}

/// <summary>
/// Turns a queued application into a licence: allocate the code, store the licence, sign and store the credential, mark the application.
/// Every step is idempotent, so a redelivered message or a retry after a crash between any two steps ends with one licence and one code.
/// </summary>
public sealed class IssuanceService(
    IApplicationStore applications,
    ISequenceAllocator sequence,
    ILicenceStore licences,
    ICredentialStore credentials,
    IKeyRingProvider keys,
    IStatusListQueue statusQueue,
    IssuerOptions issuer,
    TimeProvider time,
    IIssuanceObserver observer)
{
    public async Task IssueAsync(string applicationId, CancellationToken cancellationToken)
    {
        var application = await applications.FindAsync(applicationId, cancellationToken);
        if (application is null || application.Status != ApplicationStatus.Pending)
        {
            return; // unknown, or already finished: a duplicate delivery
        }

        using var activity = ElicenceTelemetry.Source.StartActivity(ElicenceTelemetry.IssueSpan);
        activity?.SetTag("elicence.application.id", application.Id);

        var number = await sequence.AllocateAsync(Sequences.CreditCodes, application.Id, cancellationToken);
        var code = CreditCodeAllocation.CodeFor(number, application.Details.EntityType);
        observer.StepCompleted(application, IssuanceStep.CodeAllocated);

        var licence = await StoreLicenceAsync(application, code, cancellationToken);
        await statusQueue.EnqueueSyncAsync(code, cancellationToken); // idempotent; the sweep covers a crash before it
        observer.StepCompleted(application, IssuanceStep.LicenceStored);

        var ring = await keys.GetAsync(cancellationToken);
        await credentials.PutIfAbsentAsync(code, licence.Version, LicenceCredential.Sign(licence, issuer, ring.Signing), cancellationToken);
        observer.StepCompleted(application, IssuanceStep.CredentialStored);

        await UpdateAsync(applicationId, a => a.Status == ApplicationStatus.Pending
            ? a with { Status = ApplicationStatus.Issued, CreditCode = code.Value, IssuedAt = licence.IssuedAt, LastError = null }
            : null, cancellationToken);
        observer.StepCompleted(application, IssuanceStep.ApplicationMarkedIssued);
        activity?.SetTag("elicence.credit_code", code.Value);
        ElicenceTelemetry.IssuanceLatency.Record(Math.Max(0, (licence.IssuedAt - application.SubmittedAt).TotalSeconds));
    }

    /// <summary>Notes why an attempt failed, so that the application can say so if it ends in the poison queue.</summary>
    public Task RecordFailedAttemptAsync(string applicationId, string error, CancellationToken cancellationToken) =>
        UpdateAsync(applicationId, a => a.Status == ApplicationStatus.Pending
            ? a with { FailedAttempts = a.FailedAttempts + 1, LastError = Truncate(error) }
            : null, cancellationToken);

    /// <summary>Called for a message that reached the poison queue: the application fails with the last recorded reason.</summary>
    public Task MarkFailedAsync(string applicationId, CancellationToken cancellationToken) =>
        UpdateAsync(applicationId, a => a.Status == ApplicationStatus.Pending
            ? a with { Status = ApplicationStatus.Failed, FailureReason = $"Issuance failed after {Math.Max(a.FailedAttempts, 1)} attempt(s): {a.LastError ?? "the issuance message could not be processed"}" }
            : null, cancellationToken);

    private async Task<Licence> StoreLicenceAsync(LicenceApplication application, CreditCode code, CancellationToken cancellationToken)
    {
        var statusIndex = await sequence.AllocateAsync(Sequences.StatusListIndices, $"{code.Value}/v1", cancellationToken);
        var now = time.GetUtcNow();
        var candidate = new Licence(code, 1, application.Details, LicenceStatus.Active, StatusDetail.ActiveSince(now), ChinaTime.DateOf(now), now,
            "urn:uuid:" + Guid.CreateVersion7(), application.Id, statusIndex, EventCount: 1, ETag: null);
        var issued = new LicenceEvent(1, "issued", now, application.SubmittedBy, application.SubmittedByName ?? issuer.Name, 1, null, LicenceStatus.Active, [], "Registered on application " + application.Id);
        // Signed before anything is stored: a licence whose credential cannot be made must never be registered. Its digest
        // goes on the row, so verifications compare with it instead of reading the blob (the same bytes are signed below).
        var ring = await keys.GetAsync(cancellationToken);
        candidate = candidate with { CredentialSha256 = LicenceChecker.Digest(LicenceCredential.Sign(candidate, issuer, ring.Signing)) };
        if (await licences.TryAddAsync(candidate, issued, cancellationToken))
        {
            return candidate;
        }

        // Stored by an earlier attempt: use that one, so the credential matches what is registered.
        var existing = await licences.FindCurrentAsync(code, cancellationToken) ?? throw new InvalidOperationException($"Licence {code} exists but cannot be read.");
        return existing.ApplicationId == application.Id
            ? existing
            : throw new InvalidOperationException($"Credit code {code} already belongs to application {existing.ApplicationId}; the sequence allocator handed it out twice.");
    }

    private async Task UpdateAsync(string applicationId, Func<LicenceApplication, LicenceApplication?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var current = await applications.FindAsync(applicationId, cancellationToken);
            if (current is null || change(current) is not { } updated)
            {
                return;
            }

            if (await applications.TryUpdateAsync(updated, cancellationToken))
            {
                return;
            }
        }

        throw new InvalidOperationException($"Application {applicationId} kept changing under the update.");
    }

    private static string Truncate(string s) => s.Length <= 500 ? s : s[..500];
}
