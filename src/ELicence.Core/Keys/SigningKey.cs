using System.Security.Cryptography;
using System.Text;

namespace ELicence.Core.Keys;

/// <summary>Where a key is in its life: announced and signing, retired (still published so old signatures verify), or compromised (never trusted again).</summary>
public enum KeyState
{
    Active,
    Retired,
    Compromised,
}

/// <summary>An Ed25519 signing key of the service. Its id is the RFC 7638 JWK thumbprint of its public key.</summary>
public sealed record SigningKey(string KeyId, byte[] Seed, byte[] PublicKey, KeyState State, DateTimeOffset CreatedAt)
{
    public const string Algorithm = "EdDSA";

    public static SigningKey Create(DateTimeOffset now)
    {
        var seed = Ed25519.NewSeed();
        var publicKey = Ed25519.PublicKeyFromSeed(seed);
        return new SigningKey(Thumbprint(publicKey), seed, publicKey, KeyState.Active, now);
    }

    public byte[] Sign(ReadOnlySpan<byte> data) => Ed25519.Sign(Seed, data);

    public PublicJwk ToJwk() => new("OKP", "Ed25519", B64Url.Encode(PublicKey), KeyId, Algorithm, "sig");

    /// <summary>RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order, no white space.</summary>
    public static string Thumbprint(ReadOnlySpan<byte> publicKey)
    {
        var canonical = $"{{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"{B64Url.Encode(publicKey)}\"}}";
        return B64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public override string ToString() => $"SigningKey {{ KeyId = {KeyId}, State = {State} }}"; // never print the seed
}

/// <summary>A public key as RFC 7517/8037 JWK.</summary>
public sealed record PublicJwk(string Kty, string Crv, string X, string Kid, string Alg, string Use);

/// <summary>An RFC 7517 JWK Set.</summary>
public sealed record JsonWebKeySet(IReadOnlyList<PublicJwk> Keys);
