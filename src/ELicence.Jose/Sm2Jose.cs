namespace ELicence.Jose;

/// <summary>
/// How SM2 appears in JOSE, which has no registered SM2 algorithm or curve. Private-use names (RFC 7515 §4.1.1,
/// RFC 7518 §6.2.1.1), as docs/design.md states: <c>alg</c> <see cref="Algorithm"/> is SM2 with SM3 and the signer ID
/// <c>1234567812345678</c>, the signature r‖s (64 bytes, as ES256 carries ECDSA); the key is <c>kty</c> <c>EC</c>,
/// <c>crv</c> <see cref="Curve"/>, <c>x</c> and <c>y</c> base64url of 32 bytes each.
/// </summary>
public static class Sm2Jose
{
    public const string Algorithm = "SM2-SM3";

    public const string Curve = "SM2";

    /// <summary>RFC 7638 thumbprint of the key's JWK.</summary>
    public static string Thumbprint(ReadOnlySpan<byte> publicKey) => EcThumbprint.Of(Curve, publicKey);
}
