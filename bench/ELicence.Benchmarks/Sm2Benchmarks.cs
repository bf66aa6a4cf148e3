using BenchmarkDotNet.Attributes;
using ELicence.Core.Credentials;
using ELicence.Core.Keys;
using ELicence.Jose;

namespace ELicence.Benchmarks;

/// <summary>
/// SM2 verification of a credential's JWS signing input: BouncyCastle's stock SM2Signer on the curve most code takes
/// (GMNamedCurves, generic arithmetic; baseline), the stock signer on BouncyCastle's custom-field curve, and the fixed-key
/// <see cref="Sm2Verifier"/>, in the same run. The target is 2,300 verifications/s per core (≤ 435 µs each).
/// </summary>
[MemoryDiagnoser]
public class Sm2Benchmarks
{
    private byte[] _publicKey = null!;
    private byte[] _signingInput = null!;
    private byte[] _signature = null!;
    private Sm2Verifier _verifier = null!;
    private Org.BouncyCastle.Crypto.Parameters.ECDomainParameters _generic = null!;

    [GlobalSetup]
    public void Setup()
    {
        var privateKey = Sm2.NewPrivateKey();
        _publicKey = Sm2.PublicKeyFromPrivate(privateKey);
        var ring = KeyRing.CreateNew(DateTimeOffset.UnixEpoch);
        var compact = LicenceCredential.Sign(SampleLicence.Create(), new IssuerOptions(), ring.Signing);
        _signingInput = System.Text.Encoding.ASCII.GetBytes(compact[..compact.LastIndexOf('.')]);
        _signature = Sm2.Sign(privateKey, _signingInput);
        _verifier = Sm2Verifier.TryCreate(_publicKey)!;
        _generic = new(Org.BouncyCastle.Asn1.GM.GMNamedCurves.GetByName("sm2p256v1"));
        if (!Stock_SM2Signer_generic_curve_verify() || !Stock_SM2Signer_verify() || !Fast_Sm2Verifier_verify())
        {
            throw new InvalidOperationException("The benchmark signature does not verify.");
        }
    }

    [Benchmark(Baseline = true)]
    public bool Stock_SM2Signer_generic_curve_verify() => Sm2.VerifyWithStockSigner(_publicKey, _signingInput, _signature, _generic);

    [Benchmark]
    public bool Stock_SM2Signer_verify() => Sm2.VerifyWithStockSigner(_publicKey, _signingInput, _signature);

    [Benchmark]
    public bool Fast_Sm2Verifier_verify() => _verifier.Verify(_signingInput, _signature);
}
