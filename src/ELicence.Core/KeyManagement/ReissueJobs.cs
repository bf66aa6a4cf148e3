using ELicence.Core.CreditCodes;
using ELicence.Core.Licences;
using ELicence.Core.StatusLists;

namespace ELicence.Core.KeyManagement;

/// <summary>A re-issue after a compromise: found while scanning, and how far it has got.</summary>
public sealed record ReissueJob(string Kid, DateTimeOffset StartedAt, string Reason, bool Scanned, IReadOnlyList<ReissueItem> Items);

/// <summary>One licence of a re-issue: pending until <see cref="Outcome"/> is set.</summary>
public sealed record ReissueItem(string CreditCode, ReissueOutcome? Outcome, int? Version);

/// <summary>Progress as served: <c>scanning</c> → <c>reissuing</c> → <c>done</c>.</summary>
public sealed record ReissueProgress(string Kid, string State, DateTimeOffset StartedAt, string Reason, int Found, int Reissued, int NotNeeded, int Final, int Pending, IReadOnlyList<string> PendingCodes)
{
    public static ReissueProgress Of(ReissueJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var pending = job.Items.Where(i => i.Outcome is null).Select(i => i.CreditCode).ToList();
        var state = !job.Scanned ? "scanning" : pending.Count > 0 ? "reissuing" : "done";
        return new(job.Kid, state, job.StartedAt, job.Reason, job.Items.Count, Count(ReissueOutcome.Reissued), Count(ReissueOutcome.NotNeeded), Count(ReissueOutcome.Final), pending.Count, [.. pending.Take(100)]);

        int Count(ReissueOutcome outcome) => job.Items.Count(i => i.Outcome == outcome);
    }
}

/// <summary>The re-issue jobs, one per withdrawn key, and one row per licence found (written once, then its outcome).</summary>
public interface IReissueStore
{
    /// <summary>Records the job unless it exists (a second compromise call keeps the first).</summary>
    Task StartAsync(string kid, DateTimeOffset startedAt, string reason, CancellationToken cancellationToken);

    Task<ReissueJob?> FindAsync(string kid, CancellationToken cancellationToken);

    /// <summary>Adds a pending licence unless it is there already.</summary>
    Task AddAsync(string kid, CreditCode code, CancellationToken cancellationToken);

    /// <summary>Records the licence's outcome unless one is recorded already: a message delivered twice keeps the first outcome.</summary>
    Task CompleteAsync(string kid, CreditCode code, ReissueOutcome outcome, int version, CancellationToken cancellationToken);

    Task MarkScannedAsync(string kid, CancellationToken cancellationToken);
}

/// <summary>The <c>key-reissue</c> queue: scan for a withdrawn key's credentials, or re-issue one licence's.</summary>
public interface IReissueQueue
{
    Task EnqueueAsync(ReissueMessage message, CancellationToken cancellationToken);
}

/// <summary>A <c>key-reissue</c> message: without a code, scan for the key's current credentials; with one, re-issue that licence's.</summary>
public sealed record ReissueMessage(string Kid, string? Code)
{
    public static ReissueMessage? TryParse(string message) =>
        QueueMessages.TryRead<ReissueMessage>(message) is { Kid.Length: > 0 and <= 100 } m ? m : null;
}

/// <summary>
/// The re-issue of what a withdrawn key signed: the job and its queue steps (scan, then one licence at a time), each of
/// which can run twice without effect. <see cref="KeyAdministration"/> starts it; the <c>key-reissue</c> queue drives it.
/// </summary>
public sealed class ReissueJobs(
    IReissueStore reissues,
    IReissueQueue queue,
    CredentialReissue credentials,
    IStatusListStore statusLists,
    IStatusListQueue statusQueue,
    StatusListOptions statusOptions)
{
    /// <summary>Records the job, then queues the scan: a crash between them leaves a job in "scanning" that a repeated call resumes.</summary>
    public async Task StartAsync(string kid, DateTimeOffset startedAt, string reason, CancellationToken cancellationToken)
    {
        await reissues.StartAsync(kid, startedAt, reason, cancellationToken);
        await queue.EnqueueAsync(new ReissueMessage(kid, null), cancellationToken);
    }

    public Task<ReissueJob?> FindAsync(string kid, CancellationToken cancellationToken) => reissues.FindAsync(kid, cancellationToken);

    /// <summary>Queue: a scan or one licence's re-issue. Every step can run twice without effect.</summary>
    public Task HandleAsync(ReissueMessage message, CreditCode? code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return code is { } c ? ReissueOneAsync(message.Kid, c, cancellationToken) : ScanAsync(message.Kid, cancellationToken);
    }

    /// <summary>
    /// Finds every current credential signed by the key and queues its re-issue; republishes every status list (a list
    /// signed by the withdrawn key would fail too). A crash part-way is resumed by the queue's retry: rows and messages
    /// already written are written again without effect.
    /// </summary>
    private async Task ScanAsync(string kid, CancellationToken cancellationToken)
    {
        if (await reissues.FindAsync(kid, cancellationToken) is null)
        {
            return; // not a withdrawn key: nothing to do
        }

        var lastList = -1;
        await foreach (var licence in credentials.AllCurrentAsync(cancellationToken))
        {
            lastList = Math.Max(lastList, StatusListCredentials.ListNumber(licence.StatusListIndex));
            if (!CredentialReissue.IsFinal(licence) && await credentials.CurrentKeyIdAsync(licence, cancellationToken) == kid)
            {
                await reissues.AddAsync(kid, licence.Code, cancellationToken);
                await queue.EnqueueAsync(new ReissueMessage(kid, licence.Code.Value), cancellationToken);
            }
        }

        for (var list = 0; list <= lastList; list++)
        {
            if (await statusLists.MarkChangedAsync(list, cancellationToken))
            {
                await statusQueue.EnqueuePublishAsync(list, statusOptions.PublishDelay, cancellationToken);
            }
        }

        await reissues.MarkScannedAsync(kid, cancellationToken);
    }

    private async Task ReissueOneAsync(string kid, CreditCode code, CancellationToken cancellationToken)
    {
        var (outcome, version) = await credentials.ReissueAsync(code, kid, cancellationToken);
        await reissues.CompleteAsync(kid, code, outcome, version, cancellationToken);
    }
}
