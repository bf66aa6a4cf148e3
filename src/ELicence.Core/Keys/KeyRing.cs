namespace ELicence.Core.Keys;

/// <summary>
/// The service's signing keys: one Ed25519 key signs everything, and at most one SM2 key adds the second signature of a
/// credential's JSON form; retired keys stay published so what they signed keeps verifying; compromised keys are
/// withdrawn, so their signatures fail.
/// </summary>
public sealed class KeyRing
{
    private readonly Dictionary<string, SigningKey> _byId;

    public KeyRing(IReadOnlyList<SigningKey> keys, string signingKeyId)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _byId = keys.ToDictionary(k => k.KeyId, StringComparer.Ordinal);
        if (!_byId.TryGetValue(signingKeyId, out var signing) || signing.State != KeyState.Active || signing.Algorithm != KeyAlgorithm.Ed25519)
        {
            throw new ArgumentException($"The signing key '{signingKeyId}' must be an active Ed25519 key of the ring.", nameof(signingKeyId));
        }

        var activeSm2 = keys.Where(k => k.Algorithm == KeyAlgorithm.Sm2 && k.State == KeyState.Active).ToList();
        if (activeSm2.Count > 1)
        {
            throw new ArgumentException("A ring has at most one active SM2 key.", nameof(keys));
        }

        Keys = keys;
        Signing = signing;
        SigningSm2 = activeSm2.SingleOrDefault();
    }

    public IReadOnlyList<SigningKey> Keys { get; }

    public SigningKey Signing { get; }

    /// <summary>The active SM2 key; null in a ring stored before SM2 keys existed, which then offers no JSON form.</summary>
    public SigningKey? SigningSm2 { get; }

    /// <summary>A first ring: an active Ed25519 key and an active SM2 key.</summary>
    public static KeyRing CreateNew(DateTimeOffset now)
    {
        var key = SigningKey.Create(now);
        return new KeyRing([key, SigningKey.Create(KeyAlgorithm.Sm2, now)], key.KeyId);
    }

    /// <summary>The key a signature with this kid may be checked with, or null when the kid is unknown or compromised.</summary>
    public SigningKey? FindTrusted(string kid) =>
        _byId.TryGetValue(kid, out var key) && key.State != KeyState.Compromised ? key : null;

    public KeyState? StateOf(string kid) => _byId.TryGetValue(kid, out var key) ? key.State : null;

    public JsonWebKeySet ToJwks() =>
        new(Keys.Where(k => k.State != KeyState.Compromised).Select(k => k.ToJwk()).ToList());
}
