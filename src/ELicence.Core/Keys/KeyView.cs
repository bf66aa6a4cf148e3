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
