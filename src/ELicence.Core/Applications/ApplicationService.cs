using ELicence.Core.Callers;
using ELicence.Core.Licences;

namespace ELicence.Core.Applications;

/// <summary>Accepts registration applications and queues them for issuance; honours Idempotency-Key.</summary>
public sealed class ApplicationService(IApplicationStore applications, IIdempotencyStore idempotency, IIssuanceQueue queue, TimeProvider time)
{
    public async Task<LicenceApplication> SubmitAsync(Caller caller, LicenceApplicationRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var details = request.ToDetails(time.Today());
        var id = LicenceApplication.NewId();

        if (idempotencyKey is not null)
        {
            id = await IdempotencyKeys.ClaimAsync(idempotency, caller.Id, idempotencyKey, details, id, time.GetUtcNow(), cancellationToken);
        }

        // Every step below may have run already (a retry after a crash): each is safe to repeat.
        var application = await applications.TryAddAsync(
                new LicenceApplication(id, details, ApplicationStatus.Pending, caller.Actor.Id, time.GetUtcNow(), Queued: false, null, null, 0, null, null, null) { SubmittedByName = caller.Actor.Name },
                cancellationToken)
            ?? await applications.FindAsync(id, cancellationToken)
            ?? throw new InvalidOperationException($"Application {id} exists but cannot be read.");

        if (!application.Queued)
        {
            await queue.EnqueueAsync(id, cancellationToken);
            application = await MarkQueuedAsync(application, cancellationToken);
        }

        return application;
    }

    public async Task<LicenceApplication> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!LicenceApplication.IsWellFormedId(id))
        {
            throw ProblemException.NotFound($"There is no application '{id}'.");
        }

        return await applications.FindAsync(id, cancellationToken) ?? throw ProblemException.NotFound($"There is no application '{id}'.");
    }

    private async Task<LicenceApplication> MarkQueuedAsync(LicenceApplication application, CancellationToken cancellationToken)
    {
        while (true)
        {
            var queued = application with { Queued = true };
            if (await applications.TryUpdateAsync(queued, cancellationToken))
            {
                return await applications.FindAsync(application.Id, cancellationToken) ?? queued;
            }

            // The issuer may already have moved it on: the fresh copy wins, it was queued.
            application = await applications.FindAsync(application.Id, cancellationToken) ?? throw new InvalidOperationException($"Application {application.Id} vanished.");
            if (application.Queued || application.Status != ApplicationStatus.Pending)
            {
                return application;
            }
        }
    }
}
