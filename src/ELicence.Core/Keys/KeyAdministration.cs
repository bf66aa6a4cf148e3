using ELicence.Core.CreditCodes;
using ELicence.Core.Licences;
using ELicence.Core.StatusLists;

namespace ELicence.Core.Keys;

/// <summary>A key as the registrar sees it: never its private part.</summary>
public sealed record KeyView(string Kid, string Alg, KeyState State, DateTimeOffset AnnouncedAt, DateTimeOffset? ActivatedAt, DateTimeOffset? RetiredAt, DateTimeOffset? CompromisedAt)
{
    public static KeyView Of(SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(key.KeyId, key.Alg, key.State, key.CreatedAt, key.ActivatedAt ?? (key.State == KeyState.Announced ? null : key.CreatedAt), key.RetiredAt, key.CompromisedAt);
    }
}

/// <summary>Rotate now: which algorithm's key (<c>EdDSA</c>; each suite of the ring rotates on its own).</summary>
public sealed record RotationRequest(string? Alg);

/// <summary>The answer to rotate-now: the announced successor and when it starts signing.</summary>
public sealed record RotationView(KeyView Announced, DateTimeOffset SignsFrom, bool Started);

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
/// What the registrar and the rotation timer do with the keys: list them, rotate (announce a successor), withdraw a compromised
/// key and re-issue what it signed through the queue, and remove retired keys nothing current depends on.
/// </summary>
public sealed class KeyAdministration(
    IKeyRingProvider provider,
    IKeyRingEditor editor,
    IReissueStore reissues,
    IReissueQueue queue,
    CredentialReissue credentials,
    IStatusListStore statusLists,
    IStatusListQueue statusQueue,
    KeyRotationOptions options,
    StatusListOptions statusOptions,
    TimeProvider time)
{
    public async Task<IReadOnlyList<KeyView>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await provider.GetAsync(cancellationToken)).Keys.Select(KeyView.Of)];

    /// <summary>Announces a successor of the algorithm's active key; when one is announced already, answers that one (so concurrent calls make one rotation).</summary>
    public async Task<RotationView> RotateNowAsync(RotationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var algorithms = (await provider.GetAsync(cancellationToken)).Keys.Select(k => k.Alg).Distinct().Order(StringComparer.Ordinal).ToList();
        if (request.Alg is not { } alg || !algorithms.Contains(alg, StringComparer.Ordinal))
        {
            throw ProblemException.Invalid("alg", "Required: the algorithm whose key rotates, one of " + string.Join(", ", algorithms) + ".");
        }

        var (ring, changed) = await editor.UpdateAsync(r => KeyRotation.AnnounceNow(r, alg, time.GetUtcNow()), cancellationToken);
        var announced = ring.Keys.Single(k => k.Alg == alg && k.State == KeyState.Announced);
        return new RotationView(KeyView.Of(announced), announced.CreatedAt + options.AnnounceFor, changed);
    }

    /// <summary>The rotation timer: promotes or announces as the schedule says, then removes retired keys past their retention that no current credential uses.</summary>
    public async Task RunScheduleAsync(CancellationToken cancellationToken)
    {
        await editor.UpdateAsync(r => KeyRotation.Advance(r, time.GetUtcNow(), options), cancellationToken);
        var candidates = KeyRotation.RemovalCandidates(await provider.GetAsync(cancellationToken), time.GetUtcNow(), options);
        if (candidates.Count == 0)
        {
            return;
        }

        var inUse = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var licence in credentials.AllCurrentAsync(cancellationToken))
        {
            if (!CredentialReissue.IsFinal(licence) && await credentials.CurrentKeyIdAsync(licence, cancellationToken) is { } kid)
            {
                inUse.Add(kid);
            }
        }

        var removable = candidates.Select(k => k.KeyId).Where(kid => !inUse.Contains(kid)).ToList();
        if (removable.Count > 0)
        {
            await editor.UpdateAsync(r => KeyRotation.Remove(r, removable), cancellationToken);
        }
    }

    /// <summary>Withdraws the key (its signatures fail from now on, on this instance at once, on others within the ring refresh) and starts the re-issue.</summary>
    public async Task<ReissueProgress> CompromiseAsync(string kid, ReasonRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kid);
        ArgumentNullException.ThrowIfNull(request);
        var reason = RequestText.Reason(request.Reason);
        if ((await provider.GetAsync(cancellationToken)).Find(kid) is null)
        {
            throw ProblemException.NotFound($"The key ring has no key '{(kid.Length > 100 ? kid[..100] + "…" : kid)}'.");
        }

        await editor.UpdateAsync(r => r.Find(kid) is { } key ? KeyRotation.Compromise(r, key, time.GetUtcNow()) : null, cancellationToken);
        // Job first, then the scan message: a crash between them leaves a job in "scanning" that a repeated call resumes.
        await reissues.StartAsync(kid, time.GetUtcNow(), reason, cancellationToken);
        await queue.EnqueueAsync(new ReissueMessage(kid, null), cancellationToken);
        return await GetReissueAsync(kid, cancellationToken);
    }

    /// <summary>The re-issue of a withdrawn key; only a kid of the ring reaches storage (compromised keys are never removed).</summary>
    public async Task<ReissueProgress> GetReissueAsync(string kid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kid);
        var job = (await provider.GetAsync(cancellationToken)).Find(kid) is null ? null : await reissues.FindAsync(kid, cancellationToken);
        return ReissueProgress.Of(job ?? throw ProblemException.NotFound($"No key '{(kid.Length > 100 ? kid[..100] + "…" : kid)}' has been withdrawn."));
    }

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
