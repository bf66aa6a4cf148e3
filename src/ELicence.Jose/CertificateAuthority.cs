using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ELicence.Jose;

/// <summary>One certificate of the authority and its P-256 private scalar.</summary>
public sealed record CaCertificate(byte[] Certificate, byte[] PrivateKey);

/// <summary>
/// The service's own two-level X.509 authority for its ES256 keys (RFC 5280, built with the platform's CertificateRequest):
/// a self-signed root (CA, no path length below the issuing CA), an issuing CA (CA, path length 0) signed by the root, and
/// for each ES256 signing key an end-entity certificate signed by the issuing CA with key usage digitalSignature only. Every
/// certificate carries a subject key identifier; the issued ones the authority key identifier of their issuer.
/// </summary>
public sealed record CertificateAuthority(CaCertificate Root, CaCertificate Issuing)
{
    /// <summary>Long enough for every key it certifies to be retired and retained (Keys:RetainRetiredFor, ten years by default).</summary>
    public static readonly TimeSpan RootLifetime = TimeSpan.FromDays(365 * 30);
    public static readonly TimeSpan IssuingLifetime = TimeSpan.FromDays(365 * 25);
    public static readonly TimeSpan SigningLifetime = TimeSpan.FromDays(365 * 12);

    /// <summary>A new root and issuing CA named after <paramref name="organisation"/>.</summary>
    public static CertificateAuthority Create(string organisation, DateTimeOffset now)
    {
        var notBefore = now.AddMinutes(-5); // a verifier whose clock is a little behind still accepts a fresh certificate
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest(Name(organisation, "Root CA"), rootKey, HashAlgorithmName.SHA256);
        AddCaExtensions(rootRequest, pathLength: 1);
        using var root = rootRequest.CreateSelfSigned(notBefore, now + RootLifetime);

        using var issuingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issuingRequest = new CertificateRequest(Name(organisation, "Issuing CA"), issuingKey, HashAlgorithmName.SHA256);
        AddCaExtensions(issuingRequest, pathLength: 0);
        issuingRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var issuing = issuingRequest.Create(root, notBefore, now + IssuingLifetime, Serial());
        return new CertificateAuthority(
            new CaCertificate(root.RawData, rootKey.ExportParameters(true).D!),
            new CaCertificate(issuing.RawData, issuingKey.ExportParameters(true).D!));
    }

    /// <summary>
    /// The end-entity certificate of an ES256 signing key: digitalSignature, not a CA, the subject naming the key id, and
    /// the issuer's URL as a URI and its host as a DNS subject alternative name (what SD-JWT VC and HAIP match <c>iss</c> with).
    /// </summary>
    public byte[] Certify(string organisation, string keyId, ReadOnlySpan<byte> publicKey, Uri issuer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        using var subjectKey = Es256.PublicKey(publicKey);
        var request = new CertificateRequest(Name(organisation, "Signing key " + keyId), subjectKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(issuer);
        names.AddDnsName(issuer.IdnHost);
        request.CertificateExtensions.Add(names.Build());
        using var issuing = IssuingCertificate();
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuing, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var notAfter = Min(now + SigningLifetime, issuing.NotAfter.ToUniversalTime());
        using var certificate = request.Create(issuing, now.AddMinutes(-5), notAfter, Serial());
        return certificate.RawData;
    }

    /// <summary>The root as PEM (RFC 7468), as published.</summary>
    public string RootPem() => PemEncoding.WriteString("CERTIFICATE", Root.Certificate);

    private X509Certificate2 IssuingCertificate()
    {
        using var key = Es256.PrivateKey(Issuing.PrivateKey);
        using var certificate = X509CertificateLoader.LoadCertificate(Issuing.Certificate);
        return certificate.CopyWithPrivateKey(key);
    }

    private static void AddCaExtensions(CertificateRequest request, int pathLength)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, pathLength, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
    }

    private static X500DistinguishedName Name(string organisation, string commonName)
    {
        var name = new X500DistinguishedNameBuilder();
        name.AddCountryOrRegion("CN");
        name.AddOrganizationName(organisation);
        name.AddCommonName(commonName.Length > 64 ? commonName[..64] : commonName);
        return name.Build();
    }

    private static byte[] Serial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive INTEGER (RFC 5280 §4.1.2.2)
        return serial;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
