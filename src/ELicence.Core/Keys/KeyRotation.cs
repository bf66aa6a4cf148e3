using System.ComponentModel.DataAnnotations;

namespace ELicence.Core.Keys;

/// <summary>Key rotation settings (section <c>Keys</c>).</summary>
public sealed class KeyRotationOptions : IValidatableObject
{
    public const string Section = "Keys";

    /// <summary>How long a key signs before its successor takes over (announced <see cref="AnnounceFor"/> earlier).</summary>
    public TimeSpan RotateEvery { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long a new key is published before it signs: every verifier's cached JWKS has it by then.</summary>
    public TimeSpan AnnounceFor { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The JWKS <c>Cache-Control: max-age</c>.</summary>
    public TimeSpan JwksMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a retired key stays published: the retention of receipts (a receipt is verifiable for at least this long
    /// after its key retired). After it, the key is removed unless a current credential still uses it.
    /// </summary>
    public TimeSpan RetainRetiredFor { get; set; } = TimeSpan.FromDays(3650);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (JwksMaxAge < TimeSpan.FromSeconds(1) || JwksMaxAge > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("Keys:JwksMaxAge must be between 1 second and 1 day.", [nameof(JwksMaxAge)]);
        }

        // An instance may serve a ring up to one refresh period old, and a verifier caches that answer for max-age.
        if (AnnounceFor < JwksMaxAge + KeyRingProvider.RefreshAfter)
        {
            yield return new ValidationResult($"Keys:AnnounceFor must be at least Keys:JwksMaxAge plus the ring refresh ({KeyRingProvider.RefreshAfter}), so every cached JWKS holds a key before it signs.", [nameof(AnnounceFor)]);
        }

        if (RotateEvery < TimeSpan.FromDays(1) || RotateEvery > TimeSpan.FromDays(3650) || RotateEvery <= AnnounceFor)
        {
            yield return new ValidationResult("Keys:RotateEvery must be between 1 and 3650 days and longer than Keys:AnnounceFor.", [nameof(RotateEvery)]);
        }

        if (RetainRetiredFor < TimeSpan.FromDays(1))
        {
            yield return new ValidationResult("Keys:RetainRetiredFor must be at least 1 day.", [nameof(RetainRetiredFor)]);
        }
    }
}

/// <summary>
/// The key life cycle as pure steps over a ring: announce → active → retired → removed, and compromised from any state.
/// Each returns the new ring, or null when nothing changes (so a repeated or concurrent step writes nothing).
/// </summary>
public static class KeyRotation
{
    /// <summary>A new key of the algorithm (its JWS <c>alg</c>: EdDSA, SM2-SM3 or ES256, with its certificate from the ring's CA), announced at the instant given.</summary>
    public static SigningKey NewKey(KeyRing ring, string alg, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ring);
        var algorithm = SigningKey.AlgorithmOf(alg) ?? throw new NotSupportedException($"No key generator for {alg}.");
        return algorithm == KeyAlgorithm.Es256
            ? (ring.Pki ?? throw new InvalidOperationException("The ring has no authority for ES256 keys.")).NewEs256Key(now, KeyState.Announced)
            : SigningKey.Announce(algorithm, now);
    }

    /// <summary>
    /// The scheduled step, per algorithm: an announced key whose announce period is over becomes active and the active one
    /// retires; otherwise, once the active key has signed for <c>RotateEvery − AnnounceFor</c>, its successor is announced.
    /// </summary>
    public static KeyRing? Advance(KeyRing ring, DateTimeOffset now, KeyRotationOptions options)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(options);
        var keys = ring.Keys.ToList();
        var changed = false;
        foreach (var alg in keys.Select(k => k.Alg).Distinct().ToList())
        {
            var active = keys.Single(k => k.Alg == alg && k.State == KeyState.Active);
            var announced = keys.SingleOrDefault(k => k.Alg == alg && k.State == KeyState.Announced);
            if (announced is not null && now >= announced.CreatedAt + options.AnnounceFor)
            {
                Replace(keys, active, active with { State = KeyState.Retired, RetiredAt = now });
                Replace(keys, announced, announced with { State = KeyState.Active, ActivatedAt = now });
                changed = true;
            }
            else if (announced is null && now >= (active.ActivatedAt ?? active.CreatedAt) + options.RotateEvery - options.AnnounceFor)
            {
                keys.Add(NewKey(ring, alg, now));
                changed = true;
            }
        }

        return changed ? new KeyRing(keys, ring.Pki) : null;
    }

    /// <summary>Rotate now: announce a successor of the algorithm's active key, unless one is already announced (then null).</summary>
    public static KeyRing? AnnounceNow(KeyRing ring, string alg, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ring);
        if (!ring.Keys.Any(k => k.Alg == alg && k.State == KeyState.Active))
        {
            throw new ArgumentException($"The ring has no {alg} key.", nameof(alg));
        }

        return ring.Keys.Any(k => k.Alg == alg && k.State == KeyState.Announced) ? null : new KeyRing([.. ring.Keys, NewKey(ring, alg, now)], ring.Pki);
    }

    /// <summary>
    /// Withdraws a key. When it was the active one, a successor signs at once — the announced key if there is one, else a
    /// new key (verifiers holding a cached JWKS then meet an unknown kid until their cache expires: better than trusting a
    /// compromised key). Null when the key is already compromised.
    /// </summary>
    public static KeyRing? Compromise(KeyRing ring, SigningKey key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(key);
        if (key.State == KeyState.Compromised)
        {
            return null;
        }

        var keys = ring.Keys.ToList();
        Replace(keys, key, key with { State = KeyState.Compromised, CompromisedAt = now });
        if (key.State == KeyState.Active)
        {
            var successor = keys.SingleOrDefault(k => k.Alg == key.Alg && k.State == KeyState.Announced);
            if (successor is null)
            {
                keys.Add(NewKey(ring, key.Alg, now) with { State = KeyState.Active, ActivatedAt = now });
            }
            else
            {
                Replace(keys, successor, successor with { State = KeyState.Active, ActivatedAt = now });
            }
        }

        return new KeyRing(keys, ring.Pki);
    }

    /// <summary>Retired keys whose retention is over: removable once no current credential uses them.</summary>
    public static IReadOnlyList<SigningKey> RemovalCandidates(KeyRing ring, DateTimeOffset now, KeyRotationOptions options)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(options);
        return [.. ring.Keys.Where(k => k.State == KeyState.Retired && now >= (k.RetiredAt ?? k.CreatedAt) + options.RetainRetiredFor)];
    }

    /// <summary>The ring without these retired keys; null when none of them is in it.</summary>
    public static KeyRing? Remove(KeyRing ring, IReadOnlyCollection<string> retiredKeyIds)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(retiredKeyIds);
        var kept = ring.Keys.Where(k => !(k.State == KeyState.Retired && retiredKeyIds.Contains(k.KeyId))).ToList();
        return kept.Count == ring.Keys.Count ? null : new KeyRing(kept, ring.Pki);
    }

    private static void Replace(List<SigningKey> keys, SigningKey old, SigningKey updated) => keys[keys.FindIndex(k => k.KeyId == old.KeyId)] = updated;
}
