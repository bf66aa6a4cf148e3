using System.Security.Cryptography;
using ELicence.Jose;

namespace ELicence.Core.UnitTests;

/// <summary>The ES256 keys of the ring and its X.509 authority (the chain itself: ELicence.Jose.Tests; OpenSSL: the integration tests).</summary>
public class Es256KeyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_ES256_signature_verifies_under_its_key_and_not_after_one_changed_byte()
    {
        var key = KeyRingPki.Create(T0).NewEs256Key(T0, KeyState.Active);
        var data = Encoding.ASCII.GetBytes("header.payload");
        var signature = key.Sign(data);

        Assert.Equal(64, signature.Length);
        Assert.True(key.Verify(data, signature));
        signature[10] ^= 1;
        Assert.False(key.Verify(data, signature));
    }

    [Fact]
    public void An_ES256_key_id_is_the_RFC_7638_thumbprint_the_platform_computes_from_its_JWK()
    {
        var key = SigningKey.Create(KeyAlgorithm.Es256, T0);
        var jwk = key.ToJwk();
        var canonical = $"{{\"crv\":\"{jwk.Crv}\",\"kty\":\"{jwk.Kty}\",\"x\":\"{jwk.X}\",\"y\":\"{jwk.Y}\"}}";

        Assert.Equal(B64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), key.KeyId);
        Assert.Equal(("EC", "P-256", "ES256"), (jwk.Kty, jwk.Crv, jwk.Alg));
    }

    [Fact]
    public void The_stored_ring_keeps_the_authority_and_each_ES256_key_with_its_certificate()
    {
        var ring = KeyRing.CreateNew(T0);

        var read = KeyRingDocument.Read(KeyRingDocument.Write(ring));

        Assert.Equal(ring.Pki!.Authority.Root.Certificate, read.Pki!.Authority.Root.Certificate);
        Assert.Equal(ring.Pki.Authority.Issuing.PrivateKey, read.Pki.Authority.Issuing.PrivateKey);
        Assert.Equal(ring.SigningEs256!.Certificate, read.SigningEs256!.Certificate);
        Assert.Equal(ring.ChainOf(ring.SigningEs256), read.ToJwks().Keys.Single(k => k.Alg == "ES256").X5c);
    }

    [Fact]
    public async Task A_ring_stored_before_ES256_gets_an_authority_and_an_active_ES256_key_once_keeping_its_other_keys()
    {
        var store = new InMemoryKeyRingStore();
        var old = new KeyRing([SigningKey.Create(T0), SigningKey.Create(KeyAlgorithm.Sm2, T0)]);
        await store.TryCreateAsync(KeyRingDocument.Write(old), default);
        using var provider = new KeyRingProvider(store, new FakeTimeProvider(T0.AddDays(10)));

        var ring = await provider.GetAsync(default);
        var again = KeyRingDocument.Read((await store.LoadAsync(default))!.Document);

        Assert.Equal(old.Signing.KeyId, ring.Signing.KeyId);
        Assert.NotNull(ring.SigningEs256?.Certificate);
        Assert.Equal(ring.SigningEs256!.KeyId, again.SigningEs256!.KeyId);
    }

    [Fact]
    public void A_compromised_ES256_key_is_withdrawn_from_the_JWKS_and_a_certified_successor_signs_at_once()
    {
        var ring = KeyRing.CreateNew(T0);
        var withdrawn = ring.SigningEs256!;

        var after = KeyRotation.Compromise(ring, withdrawn, T0.AddDays(1))!;

        Assert.DoesNotContain(after.ToJwks().Keys, k => k.Kid == withdrawn.KeyId);
        Assert.NotEqual(withdrawn.KeyId, after.SigningEs256!.KeyId);
        Assert.Equal(2, after.ToJwks().Keys.Single(k => k.Kid == after.SigningEs256.KeyId).X5c!.Count);
    }
}
