using System.Security.Cryptography.X509Certificates;

namespace ELicence.Jose.Tests;

/// <summary>The two-level X.509 authority of ES256 keys, checked with the platform's chain builder (OpenSSL checks it in the integration tests).</summary>
public class CertificateAuthorityTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_signing_certificate_chains_to_the_root_through_the_issuing_CA_with_the_right_extensions()
    {
        var authority = CertificateAuthority.Create("Test Registrar", T0);
        var publicKey = Es256.PublicKeyFromPrivate(Es256.NewPrivateKey());
        using var leaf = X509CertificateLoader.LoadCertificate(authority.Certify("Test Registrar", Es256.Thumbprint(publicKey), publicKey, new Uri("https://elicence.example"), T0));
        using var issuing = X509CertificateLoader.LoadCertificate(authority.Issuing.Certificate);
        using var root = X509CertificateLoader.LoadCertificate(authority.Root.Certificate);

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.Add(issuing);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = T0.AddDays(1).UtcDateTime;
        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.Equal(3, chain.ChainElements.Count);

        var usage = leaf.Extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, usage.KeyUsages);
        Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        var issuingConstraints = issuing.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(issuingConstraints.CertificateAuthority && issuingConstraints.HasPathLengthConstraint && issuingConstraints.PathLengthConstraint == 0);
        Assert.Equal(
            issuing.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifierBytes.ToArray(),
            leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single().KeyIdentifier!.Value.ToArray());
        Assert.Contains("elicence.example", leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        using var leafKey = leaf.GetECDsaPublicKey()!;
        var q = leafKey.ExportParameters(false).Q;
        Assert.Equal(publicKey, (byte[])[.. q.X!, .. q.Y!]);
    }

    [Fact]
    public void An_ES256_signature_is_r_and_s_and_fails_under_another_key_or_after_one_changed_byte()
    {
        var d = Es256.NewPrivateKey();
        using var key = Es256.PrivateKey(d);
        var data = Encoding.ASCII.GetBytes("header.payload");
        var signature = Es256.Sign(key, data);

        Assert.Equal(64, signature.Length);
        Assert.True(Es256.Verify(Es256.PublicKeyFromPrivate(d), data, signature));
        Assert.False(Es256.Verify(Es256.PublicKeyFromPrivate(Es256.NewPrivateKey()), data, signature));
        signature[10] ^= 1;
        Assert.False(Es256.Verify(Es256.PublicKeyFromPrivate(d), data, signature));
        Assert.False(Es256.Verify(new byte[64], data, signature)); // not a point of the curve: false, not an exception
    }
}
