using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ELicence.Core.Keys;
using ELicence.Jose;

namespace ELicence.Core.Presentations;

/// <summary>
/// A holder's public key as a JWK (RFC 7517): Ed25519 (RFC 8037, alg EdDSA) or P-256 (RFC 7518, alg ES256). It is what an
/// SD-JWT VC's <c>cnf.jwk</c> names and what the key-binding JWT must be signed with.
/// </summary>
public sealed record HolderJwk(string Kty, string Crv, string X, string? Y)
{
    private static readonly string[] Allowed = ["kty", "crv", "x", "y", "kid", "alg", "use", "key_ops"];

    /// <summary>The JWS alg a key-binding JWT made with this key carries.</summary>
    public string Algorithm => Kty == "OKP" ? SigningKey.EdDsa : "ES256";

    public static HolderJwk Ed25519(ReadOnlySpan<byte> publicKey) => new("OKP", "Ed25519", B64Url.Encode(publicKey), null);

    /// <summary>The members RFC 7638 requires, nothing else: what <c>cnf.jwk</c> carries.</summary>
    public JsonObject ToJson() => Y is null
        ? new JsonObject { ["kty"] = Kty, ["crv"] = Crv, ["x"] = X }
        : new JsonObject { ["kty"] = Kty, ["crv"] = Crv, ["x"] = X, ["y"] = Y };

    /// <summary>
    /// Reads a public JWK strictly: one JSON object, Ed25519 (32-byte x) or P-256 (32-byte x and y of a point on the curve),
    /// no private member, nothing unknown. The error names the member at fault; <paramref name="field"/> prefixes it.
    /// </summary>
    public static bool TryRead(JsonElement jwk, string field, [NotNullWhen(true)] out HolderJwk? key, out FieldError? error)
    {
        key = null;
        error = null;
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            error = new FieldError(field, "A JWK object: {\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":…} or {\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":…,\"y\":…}.");
            return false;
        }

        var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var m in jwk.EnumerateObject())
        {
            if (m.Name is "d" or "p" or "q" or "dp" or "dq" or "qi" or "k")
            {
                error = new FieldError($"{field}.{m.Name}", "This is a private key member: send the public key only, the private key never leaves the business.");
                return false;
            }

            if (!Allowed.Contains(m.Name, StringComparer.Ordinal) || !members.TryAdd(m.Name, m.Value))
            {
                error = new FieldError($"{field}.{Shown(m.Name)}", "Not a member of a public JWK this service accepts, or given twice.");
                return false;
            }
        }

        string? Text(string name) => members.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var (kty, crv) = (Text("kty"), Text("crv"));
        var (curve, expectedAlg) = (kty, crv) switch
        {
            ("OKP", "Ed25519") => ("Ed25519", SigningKey.EdDsa),
            ("EC", "P-256") => ("P-256", "ES256"),
            _ => (null, null),
        };
        if (curve is null)
        {
            error = new FieldError($"{field}.crv", "Only Ed25519 (kty OKP) and P-256 (kty EC) keys are accepted.");
            return false;
        }

        if (members.ContainsKey("alg") && Text("alg") != expectedAlg)
        {
            error = new FieldError($"{field}.alg", $"A {curve} key signs with {expectedAlg}.");
            return false;
        }

        if (members.ContainsKey("use") && Text("use") != "sig")
        {
            error = new FieldError($"{field}.use", "The key must be a signing key (use \"sig\").");
            return false;
        }

        if (!Coordinate(Text("x"), out var x))
        {
            error = new FieldError($"{field}.x", "32 bytes in unpadded base64url.");
            return false;
        }

        if (curve == "Ed25519")
        {
            if (!ELicence.Jose.Ed25519.IsValidPublicKey(x))
            {
                error = new FieldError($"{field}.x", "Not an Ed25519 public key (not a point of the curve).");
                return false;
            }

            key = new HolderJwk("OKP", "Ed25519", Text("x")!, null);
            return true;
        }

        if (members.ContainsKey("y") is false || !Coordinate(Text("y"), out var y))
        {
            error = new FieldError($"{field}.y", "32 bytes in unpadded base64url.");
            return false;
        }

        try
        {
            using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });
        }
        catch (CryptographicException)
        {
            error = new FieldError($"{field}.y", "x and y are not a point of the P-256 curve.");
            return false;
        }

        key = new HolderJwk("EC", "P-256", Text("x")!, Text("y"));
        return true;
    }

    /// <summary>Reads the <c>cnf.jwk</c> of a payload the issuer signed (so it was validated when issued).</summary>
    public static HolderJwk? FromConfirmation(JsonElement payload) =>
        payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("cnf", out var cnf) && cnf.ValueKind == JsonValueKind.Object
            && cnf.TryGetProperty("jwk", out var jwk) && TryRead(jwk, "cnf.jwk", out var key, out _) ? key : null;

    /// <summary>Whether <paramref name="signature"/> over <paramref name="signingInput"/> is this key's, with the alg the JWS header named.</summary>
    public bool Verify(string alg, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        if (alg != Algorithm || !B64Url.TryDecode(X, out var x))
        {
            return false;
        }

        if (Kty == "OKP")
        {
            return ELicence.Jose.Ed25519.Verify(x, signingInput, signature);
        }

        if (Y is null || !B64Url.TryDecode(Y, out var y) || signature.Length != 64)
        {
            return false;
        }

        using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });
        return ecdsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private static bool Coordinate(string? text, out byte[] bytes)
    {
        bytes = [];
        return text is not null && B64Url.TryDecode(text, out bytes) && bytes.Length == 32;
    }

    private static string Shown(string name) => name.Length > 40 ? name[..40] + "…" : name;
}
