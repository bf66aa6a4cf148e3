using System.Security.Cryptography;
using System.Text;
using ELicence.Jose;

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
/// What a key of the ring signs with (docs/design.md, "Signing algorithms"): Ed25519 the W3C credentials, SM2 their second
/// signature; ES256 (P-256, with an X.509 certificate from the service's own CA) the SD-JWT VCs, Token Status Lists and,
/// on request, receipts, for verifiers whose JOSE stack has no EdDSA (HAIP).
/// </summary>
public enum KeyAlgorithm
{
    Ed25519,
    Sm2,
    Es256,
}

/// <summary>
/// A signing key of the service: Ed25519 (RFC 8032; <see cref="Seed"/> is the 32-byte seed, <see cref="PublicKey"/> 32 bytes)
/// or SM2 (GB/T 32918; <see cref="Seed"/> is the 32-byte scalar d, <see cref="PublicKey"/> x‖y). Its id is the RFC 7638
/// JWK thumbprint of its public key. Both algorithms share one life cycle, applied per algorithm (one active key each).
/// <see cref="CreatedAt"/> is when it was announced.
/// </summary>
public sealed record SigningKey(string KeyId, byte[] Seed, byte[] PublicKey, KeyState State, DateTimeOffset CreatedAt, KeyAlgorithm Algorithm = KeyAlgorithm.Ed25519)
{
    /// <summary>The JWS <c>alg</c> of Ed25519 keys (RFC 8037).</summary>
    public const string EdDsa = Ed25519.Algorithm;

    private Sm2Verifier? _sm2Verifier;
    private PreparedEd25519? _ed25519;
    private PreparedEs256? _es256;

    /// <summary>The JWS <c>alg</c> this key signs with.</summary>
    public string JwsAlgorithm => Algorithm switch
    {
        KeyAlgorithm.Sm2 => Sm2Jose.Algorithm,
        KeyAlgorithm.Es256 => Es256.Algorithm,
        _ => EdDsa,
    };

    /// <summary>An ES256 key's end-entity certificate (DER) from the ring's issuing CA; null for the other algorithms.</summary>
    public byte[]? Certificate { get; init; }

    /// <summary>The JOSE <c>alg</c> this key signs with: what the life cycle groups keys by.</summary>
    public string Alg => JwsAlgorithm;

    /// <summary>When it started signing (null for keys stored before this was recorded: then <see cref="CreatedAt"/>).</summary>
    public DateTimeOffset? ActivatedAt { get; init; }

    public DateTimeOffset? RetiredAt { get; init; }

    public DateTimeOffset? CompromisedAt { get; init; }

    /// <summary>A new Ed25519 key that signs at once (the very first key of a ring).</summary>
    public static SigningKey Create(DateTimeOffset now) => Create(KeyAlgorithm.Ed25519, now);

    /// <summary>A new key that signs at once (the very first key of its algorithm in a ring).</summary>
    public static SigningKey Create(KeyAlgorithm algorithm, DateTimeOffset now) => Announce(algorithm, now) with { State = KeyState.Active, ActivatedAt = now };

    /// <summary>A new Ed25519 key, published but not yet signing.</summary>
    public static SigningKey Announce(DateTimeOffset now) => Announce(KeyAlgorithm.Ed25519, now);

    /// <summary>A new key, published but not yet signing.</summary>
    public static SigningKey Announce(KeyAlgorithm algorithm, DateTimeOffset now) =>
        FromPrivate(algorithm, algorithm switch
        {
            KeyAlgorithm.Sm2 => Sm2.NewPrivateKey(),
            KeyAlgorithm.Es256 => Es256.NewPrivateKey(),
            _ => Ed25519.NewSeed(),
        }, KeyState.Announced, now);

    /// <summary>The algorithm of a JWS <c>alg</c> name, or null for one the ring does not hold.</summary>
    public static KeyAlgorithm? AlgorithmOf(string? alg) => alg switch
    {
        EdDsa => KeyAlgorithm.Ed25519,
        Sm2Jose.Algorithm => KeyAlgorithm.Sm2,
        Es256.Algorithm => KeyAlgorithm.Es256,
        _ => null,
    };

    /// <summary>The key of a stored private key; its id and public key are derived, never trusted from storage.</summary>
    public static SigningKey FromPrivate(KeyAlgorithm algorithm, byte[] privateKey, KeyState state, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        var valid = algorithm switch
        {
            KeyAlgorithm.Sm2 => Sm2.IsValidPrivateKey(privateKey),
            KeyAlgorithm.Es256 => Es256.IsValidPrivateKey(privateKey),
            _ => privateKey.Length == Ed25519.SeedLength,
        };
        if (!valid)
        {
            throw new ArgumentException($"Not an {algorithm} private key.", nameof(privateKey));
        }

        var publicKey = algorithm switch
        {
            KeyAlgorithm.Sm2 => Sm2.PublicKeyFromPrivate(privateKey),
            KeyAlgorithm.Es256 => Es256.PublicKeyFromPrivate(privateKey),
            _ => Ed25519.PublicKeyFromSeed(privateKey),
        };
        var kid = algorithm switch
        {
            KeyAlgorithm.Sm2 => Sm2Jose.Thumbprint(publicKey),
            KeyAlgorithm.Es256 => Es256.Thumbprint(publicKey),
            _ => Thumbprint(publicKey),
        };
        return new SigningKey(kid, privateKey, publicKey, state, createdAt, algorithm);
    }

    public byte[] Sign(ReadOnlySpan<byte> data) => Algorithm switch
    {
        KeyAlgorithm.Sm2 => Sm2.Sign(Seed, data),
        KeyAlgorithm.Es256 => Es256.Sign(PreparedEs256Key(), data),
        _ => Ed25519.Sign(PreparedEd25519Key(), data),
    };

    /// <summary>The platform key of an ES256 scalar, made once per scalar (as for Ed25519 below).</summary>
    private System.Security.Cryptography.ECDsa PreparedEs256Key()
    {
        if (_es256 is { } prepared && ReferenceEquals(prepared.Seed, Seed))
        {
            return prepared.Key;
        }

        var key = Es256.PrivateKey(Seed);
        _es256 = new PreparedEs256(Seed, key);
        return key;
    }

    private sealed record PreparedEs256(byte[] Seed, System.Security.Cryptography.ECDsa Key);

    /// <summary>The seed as BouncyCastle's private key with its public key derived, made once per seed (a <c>with</c> copy keeps it only for the same seed).</summary>
    private Org.BouncyCastle.Crypto.Parameters.Ed25519PrivateKeyParameters PreparedEd25519Key()
    {
        if (_ed25519 is { } prepared && ReferenceEquals(prepared.Seed, Seed))
        {
            return prepared.Key;
        }

        var key = new Org.BouncyCastle.Crypto.Parameters.Ed25519PrivateKeyParameters(Seed);
        key.GeneratePublicKey();
        _ed25519 = new PreparedEd25519(Seed, key);
        return key;
    }

    private sealed record PreparedEd25519(byte[] Seed, Org.BouncyCastle.Crypto.Parameters.Ed25519PrivateKeyParameters Key);

    /// <summary>Checks a signature of this key (SM2 through the key's precomputed <see cref="Sm2Verifier"/>).</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        return Algorithm switch
        {
            KeyAlgorithm.Ed25519 => Ed25519.Verify(PublicKey, data, signature),
            KeyAlgorithm.Es256 => Es256.Verify(PublicKey, data, signature),
            _ => Sm2Verifier!.Verify(data, signature),
        };
    }

    /// <summary>The fast verifier of an SM2 key, built on first use (its tables take a few milliseconds); null for Ed25519 keys.</summary>
    public Sm2Verifier? Sm2Verifier => Algorithm == KeyAlgorithm.Sm2
        ? _sm2Verifier ??= Sm2Verifier.TryCreate(PublicKey) ?? throw new InvalidOperationException($"Key {KeyId} is not an SM2 point.")
        : null;

    /// <summary>The public JWK; an ES256 key's carries <c>x5c</c> (its certificate, then the issuing CA's) when the ring has its chain.</summary>
    public PublicJwk ToJwk(IReadOnlyList<string>? x5c = null) => Algorithm switch
    {
        KeyAlgorithm.Sm2 => new("EC", Sm2Jose.Curve, B64Url.Encode(PublicKey.AsSpan(0, 32)), B64Url.Encode(PublicKey.AsSpan(32)), KeyId, Sm2Jose.Algorithm, "sig"),
        KeyAlgorithm.Es256 => new("EC", Es256.Curve, B64Url.Encode(PublicKey.AsSpan(0, 32)), B64Url.Encode(PublicKey.AsSpan(32)), KeyId, Es256.Algorithm, "sig") { X5c = x5c },
        _ => new("OKP", "Ed25519", B64Url.Encode(PublicKey), null, KeyId, EdDsa, "sig"),
    };

    /// <summary>RFC 7638 thumbprint of an Ed25519 key: SHA-256 over the required members in lexicographic order, no white space.</summary>
    public static string Thumbprint(ReadOnlySpan<byte> publicKey)
    {
        var canonical = $"{{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"{B64Url.Encode(publicKey)}\"}}";
        return B64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public override string ToString() => $"SigningKey {{ KeyId = {KeyId}, Algorithm = {Algorithm}, State = {State} }}"; // never print the private key
}

/// <summary>A public key as RFC 7517 JWK: OKP/Ed25519 (RFC 8037) or EC/SM2 (x and y, see <see cref="Sm2Jose"/>).</summary>
public sealed record PublicJwk(string Kty, string Crv, string X, string? Y, string Kid, string Alg, string Use)
{
    /// <summary>RFC 7517 §4.7: the key's certificate chain, leaf first, standard base64 of DER.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("x5c")]
    public IReadOnlyList<string>? X5c { get; init; }
}

/// <summary>An RFC 7517 JWK Set.</summary>
public sealed record JsonWebKeySet(IReadOnlyList<PublicJwk> Keys);
