using System.ComponentModel.DataAnnotations;
using ELicence.Core.KeyManagement;
using ELicence.Jose;

namespace ELicence.Core.UnitTests;

/// <summary>The key life cycle: announced → active → retired → removed, compromised from any state, on a fake clock.</summary>
public class KeyRotationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly KeyRotationOptions Options = new() { RotateEvery = TimeSpan.FromDays(90), AnnounceFor = TimeSpan.FromHours(1), JwksMaxAge = TimeSpan.FromMinutes(5), RetainRetiredFor = TimeSpan.FromDays(365) };

    private static SigningKey Announced(KeyRing ring) => ring.Keys.Single(k => k.State == KeyState.Announced);

    /// <summary>A ring of one Ed25519 key (as stored before SM2 keys existed): the life cycle of one algorithm at a time.</summary>
    private static KeyRing Ed25519Ring(DateTimeOffset now) => new([SigningKey.Create(now)]);

    [Fact]
    public void A_new_ring_rotates_its_Ed25519_SM2_and_ES256_key_each_on_the_schedule_keeping_one_active_key_of_each()
    {
        var ring = KeyRing.CreateNew(T0);
        var (ed, sm2, es256) = (ring.Signing.KeyId, ring.SigningSm2!.KeyId, ring.SigningEs256!.KeyId);

        ring = KeyRotation.Advance(ring, T0 + Options.RotateEvery - Options.AnnounceFor, Options)!;
        Assert.Equal([KeyAlgorithm.Ed25519, KeyAlgorithm.Sm2, KeyAlgorithm.Es256], ring.Keys.Where(k => k.State == KeyState.Announced).Select(k => k.Algorithm).Order());
        ring = KeyRotation.Advance(ring, T0 + Options.RotateEvery, Options)!;

        Assert.NotEqual(ed, ring.Signing.KeyId);
        Assert.NotEqual(sm2, ring.SigningSm2!.KeyId);
        Assert.NotEqual(es256, ring.SigningEs256!.KeyId);
        Assert.Equal(KeyAlgorithm.Sm2, ring.SigningSm2.Algorithm);
        Assert.NotNull(ring.SigningEs256.Certificate); // the successor is certified by the same issuing CA
        Assert.Equal([KeyState.Retired, KeyState.Retired, KeyState.Retired], [ring.Find(ed)!.State, ring.Find(sm2)!.State, ring.Find(es256)!.State]);
    }

    [Fact]
    public void A_successor_is_announced_one_announce_period_before_the_rotation_is_due_and_does_not_sign_yet()
    {
        var ring = Ed25519Ring(T0);
        var due = T0 + Options.RotateEvery - Options.AnnounceFor;

        Assert.Null(KeyRotation.Advance(ring, due - TimeSpan.FromSeconds(1), Options));
        var announcing = KeyRotation.Advance(ring, due, Options)!;

        var successor = Announced(announcing);
        Assert.Equal(ring.Signing.KeyId, announcing.Signing.KeyId);
        Assert.Equal([ring.Signing.KeyId, successor.KeyId], announcing.ToJwks().Keys.Select(k => k.Kid));
        Assert.Equal(due, successor.CreatedAt);
    }

    [Fact]
    public void The_announced_key_signs_only_after_its_announce_period_and_the_old_key_retires_still_published()
    {
        var ring = KeyRotation.AnnounceNow(Ed25519Ring(T0), SigningKey.EdDsa, T0)!;
        var successor = Announced(ring);

        Assert.Null(KeyRotation.Advance(ring, T0 + Options.AnnounceFor - TimeSpan.FromSeconds(1), Options));
        var rotated = KeyRotation.Advance(ring, T0 + Options.AnnounceFor, Options)!;

        Assert.Equal(successor.KeyId, rotated.Signing.KeyId);
        Assert.Equal(T0 + Options.AnnounceFor, rotated.Signing.ActivatedAt);
        var old = rotated.Find(ring.Signing.KeyId)!;
        Assert.Equal((KeyState.Retired, T0 + Options.AnnounceFor), (old.State, old.RetiredAt));
        Assert.NotNull(rotated.FindTrusted(old.KeyId));
        Assert.Contains(old.KeyId, rotated.ToJwks().Keys.Select(k => k.Kid));
    }

    [Fact]
    public void The_schedule_keeps_rotating_every_period_from_when_the_key_started_signing()
    {
        var ring = Ed25519Ring(T0);
        var now = T0;
        var signers = new List<string> { ring.Signing.KeyId };
        for (var step = 0; step < 2 * 90 * 24; step++)
        {
            now += TimeSpan.FromHours(1);
            ring = KeyRotation.Advance(ring, now, Options) ?? ring;
            if (ring.Signing.KeyId != signers[^1])
            {
                signers.Add(ring.Signing.KeyId);
            }
        }

        Assert.Equal(3, signers.Count);
        Assert.Equal(T0 + TimeSpan.FromDays(90), ring.Find(signers[1])!.ActivatedAt);
        Assert.Equal(T0 + TimeSpan.FromDays(180), ring.Signing.ActivatedAt);
        Assert.Equal([KeyState.Retired, KeyState.Retired, KeyState.Active], signers.Select(s => ring.StateOf(s)!.Value));
    }

    [Fact]
    public void Rotating_now_while_a_successor_is_announced_changes_nothing()
    {
        var ring = KeyRotation.AnnounceNow(Ed25519Ring(T0), SigningKey.EdDsa, T0)!;

        Assert.Null(KeyRotation.AnnounceNow(ring, SigningKey.EdDsa, T0.AddMinutes(1)));
        Assert.Throws<ArgumentException>(() => KeyRotation.AnnounceNow(ring, "SM2", T0));
    }

    [Fact]
    public void A_compromised_active_key_is_replaced_at_once_by_the_announced_key_and_leaves_the_JWKS()
    {
        var ring = KeyRotation.AnnounceNow(Ed25519Ring(T0), SigningKey.EdDsa, T0)!;
        var successor = Announced(ring);
        var now = T0.AddMinutes(1);

        var after = KeyRotation.Compromise(ring, ring.Signing, now)!;

        Assert.Equal(successor.KeyId, after.Signing.KeyId);
        Assert.Equal((KeyState.Compromised, now), (after.Find(ring.Signing.KeyId)!.State, after.Find(ring.Signing.KeyId)!.CompromisedAt));
        Assert.Null(after.FindTrusted(ring.Signing.KeyId));
        Assert.Equal([successor.KeyId], after.ToJwks().Keys.Select(k => k.Kid));
        Assert.Null(KeyRotation.Compromise(after, after.Find(ring.Signing.KeyId)!, now));
    }

    [Fact]
    public void A_compromised_active_key_without_a_successor_gets_a_new_signing_key()
    {
        var ring = Ed25519Ring(T0);

        var after = KeyRotation.Compromise(ring, ring.Signing, T0)!;

        Assert.NotEqual(ring.Signing.KeyId, after.Signing.KeyId);
        Assert.Equal(KeyState.Active, after.Signing.State);
        Assert.Equal(KeyState.Compromised, after.StateOf(ring.Signing.KeyId));
    }

    [Fact]
    public void A_compromised_retired_key_fails_while_the_active_key_keeps_signing()
    {
        var ring = KeyRotation.Advance(KeyRotation.AnnounceNow(Ed25519Ring(T0), SigningKey.EdDsa, T0)!, T0 + Options.AnnounceFor, Options)!;
        var retired = ring.Keys.Single(k => k.State == KeyState.Retired);

        var after = KeyRotation.Compromise(ring, retired, T0.AddDays(1))!;

        Assert.Equal(ring.Signing.KeyId, after.Signing.KeyId);
        Assert.Null(after.FindTrusted(retired.KeyId));
    }

    [Fact]
    public void Retired_keys_become_removable_only_after_the_retention()
    {
        var rotatedAt = T0 + Options.AnnounceFor;
        var ring = KeyRotation.Advance(KeyRotation.AnnounceNow(Ed25519Ring(T0), SigningKey.EdDsa, T0)!, rotatedAt, Options)!;
        var retired = ring.Keys.Single(k => k.State == KeyState.Retired);

        Assert.Empty(KeyRotation.RemovalCandidates(ring, rotatedAt + Options.RetainRetiredFor - TimeSpan.FromSeconds(1), Options));
        Assert.Equal([retired.KeyId], KeyRotation.RemovalCandidates(ring, rotatedAt + Options.RetainRetiredFor, Options).Select(k => k.KeyId));

        var removed = KeyRotation.Remove(ring, [retired.KeyId, ring.Signing.KeyId])!;
        Assert.Equal([ring.Signing.KeyId], removed.Keys.Select(k => k.KeyId)); // the active key is never removed
        Assert.Null(removed.StateOf(retired.KeyId));
        Assert.Null(KeyRotation.Remove(removed, [retired.KeyId]));
    }

    [Fact]
    public void A_ring_refuses_two_active_or_two_announced_keys_of_one_algorithm()
    {
        var a = SigningKey.Create(T0);
        var b = SigningKey.Create(T0);
        Assert.Throws<ArgumentException>(() => new KeyRing([a, b], a.KeyId));
        Assert.Throws<ArgumentException>(() => new KeyRing([a, SigningKey.Announce(T0), SigningKey.Announce(T0)], a.KeyId));
    }

    [Fact]
    public void The_stored_form_keeps_every_state_and_date_and_reads_rings_stored_before_them()
    {
        var rotated = KeyRotation.AnnounceNow(KeyRotation.Advance(KeyRotation.AnnounceNow(Ed25519Ring(T0), SigningKey.EdDsa, T0)!, T0.AddHours(1), Options)!, SigningKey.EdDsa, T0.AddHours(2))!;
        var ring = KeyRotation.Compromise(rotated, rotated.Keys.Single(k => k.State == KeyState.Retired), T0.AddHours(3))!;
        Assert.Equal([KeyState.Compromised, KeyState.Active, KeyState.Announced], ring.Keys.Select(k => k.State));

        var read = KeyRingDocument.Read(KeyRingDocument.Write(ring));

        Assert.Equal(ring.Keys.Select(KeyView.Of), read.Keys.Select(KeyView.Of));
        var legacy = Ed25519Ring(T0);
        var old = Encoding.UTF8.GetBytes($$"""{"signingKeyId":"{{legacy.Signing.KeyId}}","keys":[{"kid":"{{legacy.Signing.KeyId}}","seed":"{{B64Url.Encode(legacy.Signing.Seed)}}","state":"active","createdAt":"2025-01-01T00:00:00+00:00"}]}""");
        var fromOld = KeyRingDocument.Read(old);
        Assert.Equal((SigningKey.EdDsa, (DateTimeOffset?)null), (fromOld.Signing.Alg, fromOld.Signing.ActivatedAt));
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), KeyView.Of(fromOld.Signing).ActivatedAt);
    }

    [Fact]
    public async Task Two_rotations_racing_on_the_stored_ring_make_one_announcement()
    {
        var store = new InMemoryKeyRingStore();
        var clock = new FakeTimeProvider(T0);
        using var first = new KeyRingProvider(store, clock);
        using var second = new KeyRingProvider(store, clock);
        await first.GetAsync(default);
        var calls = 0;

        // The first writer plans on the ring it read; the second writes in between; the first's write fails and it plans again.
        var (ring, changed) = await first.UpdateAsync(
            r =>
            {
                if (calls++ == 0)
                {
                    Assert.True(second.UpdateAsync(s => KeyRotation.AnnounceNow(s, SigningKey.EdDsa, clock.GetUtcNow()), default).GetAwaiter().GetResult().Changed);
                }

                return KeyRotation.AnnounceNow(r, SigningKey.EdDsa, clock.GetUtcNow());
            },
            default);

        Assert.False(changed);
        Assert.Equal(2, calls);
        Assert.Single(ring.Keys, k => k.State == KeyState.Announced);
        Assert.Equal(1, store.Replacements);
        Assert.Equal(ring.Keys.Select(k => k.KeyId), (await first.GetAsync(default)).Keys.Select(k => k.KeyId));
    }

    [Fact]
    public void Settings_that_would_let_a_key_sign_before_every_cached_JWKS_has_it_stop_the_start()
    {
        Assert.Empty(Validate(new KeyRotationOptions()));
        Assert.NotEmpty(Validate(new KeyRotationOptions { JwksMaxAge = TimeSpan.FromHours(1), AnnounceFor = TimeSpan.FromHours(1) }));
        Assert.NotEmpty(Validate(new KeyRotationOptions { AnnounceFor = TimeSpan.FromMinutes(9) }));
        Assert.NotEmpty(Validate(new KeyRotationOptions { RotateEvery = TimeSpan.FromHours(12) }));
        Assert.NotEmpty(Validate(new KeyRotationOptions { JwksMaxAge = TimeSpan.Zero }));
        Assert.NotEmpty(Validate(new KeyRotationOptions { RetainRetiredFor = TimeSpan.Zero }));
    }

    private static List<ValidationResult> Validate(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
