using BenchmarkDotNet.Attributes;
using ELicence.Core.Credentials;
using ELicence.Core.CreditCodes;
using ELicence.Core.Keys;
using ELicence.Core.Licences;
using ELicence.Jose;

namespace ELicence.Benchmarks;

/// <summary>
/// The CPU part of the verify path. Baseline: one bare Ed25519 signature check of the same bytes, so the ratio says what
/// parsing, key lookup and payload reading cost on top of the cryptography the check cannot avoid.
/// </summary>
[MemoryDiagnoser]
public class VerificationBenchmarks
{
    private KeyRing _ring = null!;
    private string _token = null!;
    private ParsedJws _parsed = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ring = KeyRing.CreateNew(DateTimeOffset.UnixEpoch);
        var licence = SampleLicence.Create();
        _token = LicenceCredential.Sign(licence, new IssuerOptions(), _ring.Signing);
        _parsed = CompactJws.TryParse(_token, out var parsed, out var error) ? parsed : throw new InvalidOperationException(error);
    }

    [Benchmark(Baseline = true)]
    public bool Ed25519_signature_check() => Ed25519.Verify(_ring.Signing.PublicKey, _parsed.SigningInput, _parsed.Signature);

    [Benchmark]
    public bool Credential_offline_check()
    {
        if (!CompactJws.TryParse(_token, out var parsed, out _))
        {
            return false;
        }

        var key = _ring.FindTrusted(parsed.KeyId!);
        return key is not null
            && Ed25519.Verify(key.PublicKey, parsed.SigningInput, parsed.Signature)
            && LicenceCredential.TryReadPayload(parsed.Payload) is { } payload
            && CreditCode.Validate(payload.CredentialSubject.CreditCode).IsValid;
    }
}

/// <summary>Credit code validation against a baseline of merely upper-casing the input.</summary>
[MemoryDiagnoser]
public class CreditCodeBenchmarks
{
    private const string Code = " 9144030071526726xg ";

    [Benchmark(Baseline = true)]
    public string Normalise_only() => Code.Trim().ToUpperInvariant();

    [Benchmark]
    public bool Validate() => CreditCode.Validate(Code).IsValid;
}
