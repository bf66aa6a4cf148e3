using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ELicence.OpenId4Vc.Jwt;

/// <summary>
/// A wallet's public signing key as a JWK: P-256 (ES256, RFC 7518) or Ed25519 (EdDSA, RFC 8037), the two HAIP and this
/// service accept. Private members are refused: a key proof that carries <c>d</c> has leaked its key.
/// </summary>
public sealed record PublicJwk(string Kty, string Crv, string X, string? Y)
{
    private static readonly string[] Private = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"];

    public string Algorithm => Kty == "OKP" ? "EdDSA" : "ES256";

    /// <summary>The members RFC 7638 orders, and only those.</summary>
    public JsonObject ToJson() => Y is null
        ? new JsonObject { ["crv"] = Crv, ["kty"] = Kty, ["x"] = X }
        : new JsonObject { ["crv"] = Crv, ["kty"] = Kty, ["x"] = X, ["y"] = Y };

    /// <summary>The RFC 7638 thumbprint (SHA-256, base64url): two copies bound to one key share it.</summary>
    public string Thumbprint => ELicence.Jose.B64Url.Encode(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ToJson().ToJsonString())));

    public static bool TryRead(JsonElement jwk, [NotNullWhen(true)] out PublicJwk? key, out string error)
    {
        key = null;
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            error = "The jwk is not a JSON object.";
            return false;
        }

        if (jwk.EnumerateObject().Select(m => m.Name).FirstOrDefault(n => Private.Contains(n, StringComparer.Ordinal)) is { } name)
        {
            error = $"The jwk carries the private member '{name}': a private key must never leave the wallet.";
            return false;
        }

        var (kty, crv, x, y) = (SignedJwt.Text(jwk, "kty"), SignedJwt.Text(jwk, "crv"), SignedJwt.Text(jwk, "x"), SignedJwt.Text(jwk, "y"));
        var fits = (kty, crv) switch
        {
            ("EC", "P-256") => Coordinate(x) && Coordinate(y) && OnCurve(x!, y!),
            ("OKP", "Ed25519") => Coordinate(x) && y is null,
            _ => false,
        };
        if (!fits)
        {
            error = "The jwk must be a public P-256 (kty EC) or Ed25519 (kty OKP) key with 32-byte coordinates.";
            return false;
        }

        key = new PublicJwk(kty!, crv!, x!, kty == "EC" ? y : null);
        error = "";
        return true;
    }

    /// <summary>Whether <paramref name="signature"/> is this key's over <paramref name="signingInput"/> with <paramref name="alg"/>.</summary>
    public bool Verify(string? alg, byte[] signingInput, byte[] signature)
    {
        if (alg != Algorithm || !SignedJwt.TryDecode(X, out var x) || signature.Length != 64)
        {
            return false;
        }

        if (Kty == "OKP")
        {
            return ELicence.Jose.Ed25519.Verify(x, signingInput, signature);
        }

        if (!SignedJwt.TryDecode(Y!, out var y))
        {
            return false;
        }

        using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });
        return ecdsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private static bool Coordinate(string? text) => text is not null && SignedJwt.TryDecode(text, out var bytes) && bytes.Length == 32;

    private static bool OnCurve(string x, string y)
    {
        try
        {
            SignedJwt.TryDecode(x, out var xb);
            SignedJwt.TryDecode(y, out var yb);
            using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = xb, Y = yb } });
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

}
