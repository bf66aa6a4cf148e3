using System.Security.Cryptography;
using System.Text;

namespace ELicence.Core.Keys;

/// <summary>
/// Where a key is in its life: announced (published, not yet signing), active (the one key of its algorithm that signs),
/// retired (still published so what it signed keeps verifying), or compromised (withdrawn, never trusted again).
/// A key that nothing current depends on any more is removed from the ring; it has no state then.
/// </summary>
public enum KeyState
{
    Active,
    Retired,
    Compromised,
    Announced,
}

/// <summary>
/// A signing key of the service. Its id is the RFC 7638 JWK thumbprint of its public key. <see cref="Alg"/> names its
/// algorithm: the life cycle applies per algorithm (one active key each). <see cref="CreatedAt"/> is when it was announced.
/// </summary>
public sealed record SigningKey(string KeyId, byte[] Seed, byte[] PublicKey, KeyState State, DateTimeOffset CreatedAt)
{
    public const string Algorithm = "EdDSA";

    /// <summary>The JOSE <c>alg</c> this key signs with.</summary>
    public string Alg { get; init; } = Algorithm;

    /// <summary>When it started signing (null for keys stored before this was recorded: then <see cref="CreatedAt"/>).</summary>
    public DateTimeOffset? ActivatedAt { get; init; }

    public DateTimeOffset? RetiredAt { get; init; }

    public DateTimeOffset? CompromisedAt { get; init; }

    /// <summary>A new Ed25519 key that signs at once (the very first key of a ring).</summary>
    public static SigningKey Create(DateTimeOffset now) => Announce(now) with { State = KeyState.Active, ActivatedAt = now };

    /// <summary>A new Ed25519 key, published but not yet signing.</summary>
    public static SigningKey Announce(DateTimeOffset now)
    {
        var seed = Ed25519.NewSeed();
        var publicKey = Ed25519.PublicKeyFromSeed(seed);
        return new SigningKey(Thumbprint(publicKey), seed, publicKey, KeyState.Announced, now);
    }

    public byte[] Sign(ReadOnlySpan<byte> data) => Ed25519.Sign(Seed, data);

    public PublicJwk ToJwk() => new("OKP", "Ed25519", B64Url.Encode(PublicKey), KeyId, Algorithm, "sig");

    /// <summary>RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order, no white space.</summary>
    public static string Thumbprint(ReadOnlySpan<byte> publicKey)
    {
        var canonical = $"{{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"{B64Url.Encode(publicKey)}\"}}";
        return B64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public override string ToString() => $"SigningKey {{ KeyId = {KeyId}, Alg = {Alg}, State = {State} }}"; // never print the seed
}

/// <summary>A public key as RFC 7517/8037 JWK.</summary>
public sealed record PublicJwk(string Kty, string Crv, string X, string Kid, string Alg, string Use);

/// <summary>An RFC 7517 JWK Set.</summary>
public sealed record JsonWebKeySet(IReadOnlyList<PublicJwk> Keys);
