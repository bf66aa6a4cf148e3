namespace ELicence.Core.Keys;

/// <summary>
/// The service's signing keys: per algorithm, exactly one active key signs and at most one is announced; retired keys stay
/// published so what they signed keeps verifying; compromised keys are withdrawn, so their signatures fail.
/// </summary>
public sealed class KeyRing
{
    private readonly Dictionary<string, SigningKey> _byId;

    public KeyRing(IReadOnlyList<SigningKey> keys, string signingKeyId)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _byId = keys.ToDictionary(k => k.KeyId, StringComparer.Ordinal);
        if (!_byId.TryGetValue(signingKeyId, out var signing) || signing.State != KeyState.Active || signing.Alg != SigningKey.Algorithm)
        {
            throw new ArgumentException($"The signing key '{signingKeyId}' must be an active {SigningKey.Algorithm} key of the ring.", nameof(signingKeyId));
        }

        foreach (var alg in keys.GroupBy(k => k.Alg))
        {
            if (alg.Count(k => k.State == KeyState.Active) != 1 || alg.Count(k => k.State == KeyState.Announced) > 1)
            {
                throw new ArgumentException($"The ring must hold exactly one active and at most one announced {alg.Key} key.", nameof(keys));
            }
        }

        Keys = keys;
        Signing = signing;
    }

    /// <summary>A ring of these keys, signing with the active EdDSA key.</summary>
    public KeyRing(IReadOnlyList<SigningKey> keys)
        : this(keys, keys?.FirstOrDefault(k => k.State == KeyState.Active && k.Alg == SigningKey.Algorithm)?.KeyId ?? "")
    {
    }

    public IReadOnlyList<SigningKey> Keys { get; }

    /// <summary>The active EdDSA key: credentials, receipts and status lists are signed with it.</summary>
    public SigningKey Signing { get; }

    public static KeyRing CreateNew(DateTimeOffset now) => new([SigningKey.Create(now)]);

    public SigningKey? Find(string kid) => _byId.GetValueOrDefault(kid);

    /// <summary>The key a signature with this kid may be checked with, or null when the kid is unknown or compromised.</summary>
    public SigningKey? FindTrusted(string kid) =>
        _byId.TryGetValue(kid, out var key) && key.State != KeyState.Compromised ? key : null;

    public KeyState? StateOf(string kid) => _byId.TryGetValue(kid, out var key) ? key.State : null;

    /// <summary>Announced, active and retired keys: what verifiers must be able to resolve. Compromised keys are left out.</summary>
    public JsonWebKeySet ToJwks() =>
        new(Keys.Where(k => k.State != KeyState.Compromised).Select(k => k.ToJwk()).ToList());
}
