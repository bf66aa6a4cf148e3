using ELicence.Jose;

namespace ELicence.Core.Keys;

/// <summary>
/// The service's signing keys: per algorithm (Ed25519 signs W3C credentials, receipts and Bitstring Status Lists; SM2 adds
/// the second signature of a credential's JSON form; ES256 signs SD-JWT VCs and Token Status Lists) exactly one active key
/// signs and at most one is announced; retired keys stay published so what they signed keeps verifying; compromised keys
/// are withdrawn, so their signatures fail. <see cref="Pki"/> is the X.509 authority that certifies the ES256 keys.
/// </summary>
public sealed class KeyRing
{
    private readonly Dictionary<string, SigningKey> _byId;

    public KeyRing(IReadOnlyList<SigningKey> keys, string signingKeyId, KeyRingPki? pki = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _byId = keys.ToDictionary(k => k.KeyId, StringComparer.Ordinal);
        if (!_byId.TryGetValue(signingKeyId, out var signing) || signing.State != KeyState.Active || signing.Algorithm != KeyAlgorithm.Ed25519)
        {
            throw new ArgumentException($"The signing key '{signingKeyId}' must be an active Ed25519 key of the ring.", nameof(signingKeyId));
        }

        foreach (var alg in keys.GroupBy(k => k.Algorithm))
        {
            if (alg.Count(k => k.State == KeyState.Active) != 1 || alg.Count(k => k.State == KeyState.Announced) > 1)
            {
                throw new ArgumentException($"The ring must hold exactly one active and at most one announced {alg.Key} key.", nameof(keys));
            }
        }

        Keys = keys;
        Signing = signing;
        SigningSm2 = keys.SingleOrDefault(k => k.Algorithm == KeyAlgorithm.Sm2 && k.State == KeyState.Active);
        SigningEs256 = keys.SingleOrDefault(k => k.Algorithm == KeyAlgorithm.Es256 && k.State == KeyState.Active);
        if (keys.Any(k => k.Algorithm == KeyAlgorithm.Es256) && pki is null)
        {
            throw new ArgumentException("A ring with ES256 keys holds the authority that certifies them.", nameof(pki));
        }

        Pki = pki;
    }

    /// <summary>A ring of these keys, signing with the active EdDSA key.</summary>
    public KeyRing(IReadOnlyList<SigningKey> keys, KeyRingPki? pki = null)
        : this(keys, keys?.FirstOrDefault(k => k.State == KeyState.Active && k.Algorithm == KeyAlgorithm.Ed25519)?.KeyId ?? "", pki)
    {
    }

    public IReadOnlyList<SigningKey> Keys { get; }

    /// <summary>The active EdDSA key: credentials, receipts and status lists are signed with it.</summary>
    public SigningKey Signing { get; }

    /// <summary>The active SM2 key; null in a ring stored before SM2 keys existed, which then offers no JSON form.</summary>
    public SigningKey? SigningSm2 { get; }

    /// <summary>The active ES256 key; null in a ring stored before ES256 keys existed (the provider adds one on load).</summary>
    public SigningKey? SigningEs256 { get; }

    /// <summary>The authority of the ES256 keys; null only in a ring stored before them.</summary>
    public KeyRingPki? Pki { get; }

    /// <summary>A first ring: an active Ed25519, SM2 and ES256 key, and a new authority for the ES256 keys.</summary>
    public static KeyRing CreateNew(DateTimeOffset now, KeyRingPki? pki = null)
    {
        pki ??= KeyRingPki.Create(now);
        var key = SigningKey.Create(now);
        return new KeyRing([key, SigningKey.Create(KeyAlgorithm.Sm2, now), pki.NewEs256Key(now, KeyState.Active)], key.KeyId, pki);
    }

    /// <summary>A ring stored before ES256 keys existed, with an authority and an active ES256 key added; null when it has them.</summary>
    public KeyRing? WithEs256(DateTimeOffset now, Func<KeyRingPki> newPki)
    {
        ArgumentNullException.ThrowIfNull(newPki);
        if (SigningEs256 is not null)
        {
            return null;
        }

        var pki = Pki ?? newPki();
        return new KeyRing([.. Keys, pki.NewEs256Key(now, KeyState.Active)], Signing.KeyId, pki);
    }

    /// <summary>The <c>x5c</c> header of a key: its certificate chain without the root, or null for keys without one.</summary>
    public IReadOnlyList<string>? ChainOf(SigningKey key) => Pki?.ChainOf(key);

    public SigningKey? Find(string kid) => _byId.GetValueOrDefault(kid);

    /// <summary>The key a signature with this kid may be checked with, or null when the kid is unknown or compromised.</summary>
    public SigningKey? FindTrusted(string kid) =>
        _byId.TryGetValue(kid, out var key) && key.State != KeyState.Compromised ? key : null;

    public KeyState? StateOf(string kid) => _byId.TryGetValue(kid, out var key) ? key.State : null;

    /// <summary>Announced, active and retired keys: what verifiers must be able to resolve. Compromised keys are left out.</summary>
    public JsonWebKeySet ToJwks() =>
        new(Keys.Where(k => k.State != KeyState.Compromised).Select(k => k.ToJwk(ChainOf(k))).ToList());
}
