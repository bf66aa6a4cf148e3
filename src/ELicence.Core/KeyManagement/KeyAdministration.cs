using ELicence.Core.CreditCodes;
using ELicence.Core.Keys;
using ELicence.Core.Licences;

namespace ELicence.Core.KeyManagement;

/// <summary>
/// What the registrar and the rotation timer do with the keys: list them, rotate (announce a successor), withdraw a compromised
/// key and re-issue what it signed through the queue, and remove retired keys nothing current depends on.
/// </summary>
public sealed class KeyAdministration(
    IKeyRingProvider provider,
    IKeyRingEditor editor,
    ReissueJobs reissues,
    CredentialReissue credentials,
    KeyRotationOptions options,
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
        await reissues.StartAsync(kid, time.GetUtcNow(), reason, cancellationToken);
        return await GetReissueAsync(kid, cancellationToken);
    }

    /// <summary>The re-issue of a withdrawn key; only a kid of the ring reaches storage (compromised keys are never removed).</summary>
    public async Task<ReissueProgress> GetReissueAsync(string kid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kid);
        var job = (await provider.GetAsync(cancellationToken)).Find(kid) is null ? null : await reissues.FindAsync(kid, cancellationToken);
        return ReissueProgress.Of(job ?? throw ProblemException.NotFound($"No key '{(kid.Length > 100 ? kid[..100] + "…" : kid)}' has been withdrawn."));
    }

    /// <summary>Queue: a scan or one licence's re-issue (<see cref="ReissueJobs.HandleAsync"/>).</summary>
    public Task HandleAsync(ReissueMessage message, CreditCode? code, CancellationToken cancellationToken) =>
        reissues.HandleAsync(message, code, cancellationToken);
}
