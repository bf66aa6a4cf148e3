using ELicence.OpenId4Vc.Jwt;

namespace ELicence.OpenId4Vc.Issuance;

/// <summary>A verified <c>jwt</c> key proof: the wallet key it proves and the <c>c_nonce</c> it was made with.</summary>
public sealed record VerifiedKeyProof(PublicJwk Key, string Nonce);

/// <summary>
/// The checks of a <c>jwt</c> key proof (OpenID4VCI 1.0 §8.2.1.1, Appendix F.1): <c>typ</c> <c>openid4vci-proof+jwt</c>,
/// an asymmetric <c>alg</c> the issuer supports (never <c>none</c>), the key in <c>jwk</c> (public, and the proof signed
/// by it), <c>aud</c> the Credential Issuer, <c>iat</c> fresh, a <c>nonce</c>. Whether the nonce is one the issuer gave is
/// for the caller, which holds the nonces. Every failure is <c>invalid_proof</c>.
/// </summary>
public static class KeyProof
{
    public const string Type = "openid4vci-proof+jwt";

    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static IReadOnlyList<string> Algorithms { get; } = ["ES256", "EdDSA"];

    public static VerifiedKeyProof Verify(string? proof, string credentialIssuer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(credentialIssuer);
        if (!SignedJwt.TryParse(proof, out var jwt, out var error))
        {
            throw OAuthException.InvalidProof(error);
        }

        if (jwt.Type != Type)
        {
            throw OAuthException.InvalidProof($"The proof's typ must be {Type}.");
        }

        if (jwt.Algorithm is not { } alg || !Algorithms.Contains(alg, StringComparer.Ordinal))
        {
            throw OAuthException.InvalidProof($"The proof's alg must be one of {string.Join(", ", Algorithms)}; 'none' and symmetric algorithms are refused.");
        }

        if (jwt.Header.TryGetProperty("kid", out _) || jwt.Header.TryGetProperty("x5c", out _) || !jwt.Header.TryGetProperty("jwk", out var jwkElement))
        {
            throw OAuthException.InvalidProof("Name the wallet key as a public JWK in the proof's jwk header (kid and x5c are not supported).");
        }

        if (!PublicJwk.TryRead(jwkElement, out var key, out error))
        {
            throw OAuthException.InvalidProof(error);
        }

        if (!key.Verify(alg, jwt.SigningInput, jwt.Signature))
        {
            throw OAuthException.InvalidProof($"The proof is not signed by the key in its jwk header (with {alg}).");
        }

        if (!Audiences(jwt).Contains(credentialIssuer, StringComparer.Ordinal))
        {
            throw OAuthException.InvalidProof($"The proof's aud must be the Credential Issuer '{credentialIssuer}'.");
        }

        if (SignedJwt.Number(jwt.Payload, "iat") is not { } iat)
        {
            throw OAuthException.InvalidProof("The proof has no iat.");
        }

        var made = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(iat, 0, 253_402_300_799));
        if (now - made > MaxAge || made - now > ClockSkew)
        {
            throw OAuthException.InvalidProof($"The proof was made at {made:O}; a proof is good for {MaxAge.TotalMinutes:0} minutes.");
        }

        if (SignedJwt.Text(jwt.Payload, "nonce") is not { Length: > 0 } nonce)
        {
            throw new OAuthException(OAuthErrors.InvalidNonce, "The proof carries no nonce: get a c_nonce from the Nonce Endpoint.");
        }

        return new VerifiedKeyProof(key, nonce);
    }

    private static IEnumerable<string?> Audiences(SignedJwt jwt) =>
        jwt.Payload.TryGetProperty("aud", out var aud) && aud.ValueKind == System.Text.Json.JsonValueKind.Array
            ? aud.EnumerateArray().Select(a => a.ValueKind == System.Text.Json.JsonValueKind.String ? a.GetString() : null)
            : [SignedJwt.Text(jwt.Payload, "aud")];
}
