namespace ELicence.Core.Keys;

/// <summary>
/// The service's signing keys: exactly one signs; retired keys stay published so what they signed keeps verifying;
/// compromised keys are withdrawn, so their signatures fail.
/// </summary>
public sealed class KeyRing
{
    private readonly Dictionary<string, SigningKey> _byId;

    public KeyRing(IReadOnlyList<SigningKey> keys, string signingKeyId)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _byId = keys.ToDictionary(k => k.KeyId, StringComparer.Ordinal);
        if (!_byId.TryGetValue(signingKeyId, out var signing) || signing.State != KeyState.Active)
        {
            throw new ArgumentException($"The signing key '{signingKeyId}' must be an active key of the ring.", nameof(signingKeyId));
        }

        Keys = keys;
        Signing = signing;
    }

    public IReadOnlyList<SigningKey> Keys { get; }

    public SigningKey Signing { get; }

    public static KeyRing CreateNew(DateTimeOffset now)
    {
        var key = SigningKey.Create(now);
        return new KeyRing([key], key.KeyId);
    }

    /// <summary>The key a signature with this kid may be checked with, or null when the kid is unknown or compromised.</summary>
    public SigningKey? FindTrusted(string kid) =>
        _byId.TryGetValue(kid, out var key) && key.State != KeyState.Compromised ? key : null;

    public KeyState? StateOf(string kid) => _byId.TryGetValue(kid, out var key) ? key.State : null;

    public JsonWebKeySet ToJwks() =>
        new(Keys.Where(k => k.State != KeyState.Compromised).Select(k => k.ToJwk()).ToList());
}
