using ELicence.Jose;

namespace ELicence.Core.Keys;

/// <summary>
/// The ring's X.509 authority and the names its signing certificates carry: the organisation, and the issuer URL that
/// becomes each certificate's URI and DNS subject alternative name.
/// </summary>
public sealed record KeyRingPki(CertificateAuthority Authority, string Organisation, string Issuer)
{
    /// <summary>The names used when no issuer is configured (unit tests): IssuerOptions' defaults.</summary>
    public static KeyRingPki Create(DateTimeOffset now, string organisation = "Atushi City Administration for Market Regulation", string issuer = "http://localhost:7071") =>
        new(CertificateAuthority.Create(organisation, now), organisation, issuer);

    /// <summary>A new ES256 key with its certificate from the issuing CA, in <paramref name="state"/>.</summary>
    public SigningKey NewEs256Key(DateTimeOffset now, KeyState state)
    {
        var key = SigningKey.Announce(KeyAlgorithm.Es256, now);
        var certified = key with { Certificate = Authority.Certify(Organisation, key.KeyId, key.PublicKey, new Uri(Issuer), now) };
        return state == KeyState.Active ? certified with { State = KeyState.Active, ActivatedAt = now } : certified;
    }

    /// <summary>The <c>x5c</c> of a key: its certificate and the issuing CA's, standard base64 (RFC 7515 §4.1.6); the root is left out, as trust anchors are.</summary>
    public IReadOnlyList<string>? ChainOf(SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Certificate is { } leaf ? [Convert.ToBase64String(leaf), Convert.ToBase64String(Authority.Issuing.Certificate)] : null;
    }
}
