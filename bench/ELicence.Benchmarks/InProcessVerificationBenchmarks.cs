using System.Text;
using BenchmarkDotNet.Attributes;
using ELicence.Core.Callers;
using ELicence.Core.Credentials;
using ELicence.Core.CreditCodes;
using ELicence.Core.Keys;
using ELicence.Core.Licences;
using ELicence.Core.Presentations;
using ELicence.Core.Receipts;
using ELicence.Core.Serialization;
using ELicence.Core.Verification;
using ELicence.Core.Verifiers;
using ELicence.Jose;
using Rfc8032 = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;

namespace ELicence.Benchmarks;

/// <summary>
/// CPU and memory of one verification in process (issue 11 point 5). Baseline: the cryptography a verification cannot
/// avoid, one BouncyCastle Ed25519 verify of the credential's signature and one sign of a receipt-sized payload. Against it,
/// the whole path of <c>POST /api/v1/verifications</c> after authentication: the strict body parse, the
/// <see cref="LicenceChecker"/> (signature, issuer, register row, issued token, status, permits), the signed receipt, and
/// the JSON answer, with storage replaced by in-memory ports holding one prepared licence. Targets: ≤ 1.8× the baseline,
/// ≤ 32 KB allocated per verification. Min and Median beside the Mean: on a shared machine the fastest iteration is the
/// one least disturbed by other processes.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class InProcessVerificationBenchmarks
{
    private static readonly Caller Verifier = Caller.Verifier("vrf_019ad1c3f4a07b2e8c5d6e7f80912a3b", "Bank A", VerifierKind.Bank);

    private readonly byte[] _signature = new byte[Rfc8032.SignatureSize];
    private byte[] _seed = null!;
    private byte[] _publicKey = null!;
    private ParsedJws _credential = null!;
    private byte[] _receiptSigningInput = null!;
    private byte[] _credentialBody = null!;
    private byte[] _codeBody = null!;
    private VerificationService _service = null!;

    [GlobalSetup]
    public void Setup()
    {
        var ring = KeyRing.CreateNew(DateTimeOffset.UnixEpoch);
        var issuer = new IssuerOptions();
        var licence = SampleLicence.Create();
        var jws = LicenceCredential.Sign(licence, issuer, ring.Signing);
        var register = new PreparedRegister(new LicenceWithPermits(licence, [SamplePermit(licence)]), jws);
        var now = new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);
        var checker = new LicenceChecker(register, register, new PreparedKeyRing(ring), issuer, CreditCodeExceptionList.None, new FixedTime(now));
        _service = new VerificationService(checker, new PresentationChecker(register, new NoPresentationUses(), issuer, CreditCodeExceptionList.None), new DiscardedReceipts(), issuer);

        _seed = ring.Signing.Seed;
        _publicKey = ring.Signing.PublicKey;
        _credential = CompactJws.TryParse(jws, out var parsed, out var error) ? parsed : throw new InvalidOperationException(error);
        _credentialBody = Encoding.UTF8.GetBytes(ElicenceJson.Serialize(new { credential = jws, purpose = "account-opening" }));
        _codeBody = Encoding.UTF8.GetBytes(ElicenceJson.Serialize(new { creditCode = licence.Code.Value, purpose = "account-opening" }));

        // The baseline signs as many bytes as the receipt's signing input, so both sides hash the same length.
        var answer = Verify(_credentialBody);
        var receipt = ElicenceJson.Deserialize<AnswerView>(answer)!.Receipt.Jws;
        _receiptSigningInput = Encoding.ASCII.GetBytes(receipt[..receipt.LastIndexOf('.')]);
        if (!BareEd25519VerifyPlusSign() || !ElicenceJson.Deserialize<AnswerView>(answer)!.Valid || !ElicenceJson.Deserialize<AnswerView>(Verify(_codeBody))!.Valid)
        {
            throw new InvalidOperationException("The benchmark's verification does not succeed: " + Encoding.UTF8.GetString(answer));
        }
    }

    /// <summary>The unavoidable crypto: BouncyCastle's RFC 8032 primitives on prepared arrays, nothing else.</summary>
    [Benchmark(Baseline = true)]
    public bool BareEd25519VerifyPlusSign()
    {
        var valid = Rfc8032.Verify(_credential.Signature, 0, _publicKey, 0, _credential.SigningInput, 0, _credential.SigningInput.Length);
        Rfc8032.Sign(_seed, 0, _publicKey, 0, _receiptSigningInput, 0, _receiptSigningInput.Length, _signature, 0);
        return valid;
    }

    [Benchmark]
    public byte[] CredentialVerification() => Verify(_credentialBody);

    [Benchmark]
    public byte[] CodeVerification() => Verify(_codeBody);

    /// <summary>What <c>VerificationFunctions.Verify</c> does once the caller is authenticated: read the body, verify, write the answer.</summary>
    private byte[] Verify(byte[] body)
    {
        var request = RequestJson.Read<VerificationRequest>(body);
        var result = _service.VerifyAsync(Verifier, request, default).GetAwaiter().GetResult();
        return ElicenceJson.SerializeToUtf8(new AnswerView(
            result.Valid, result.Reasons, result.Licence, result.Permits, new ReceiptView(result.ReceiptId, $"/api/v1/receipts/{result.ReceiptId}", result.Receipt), result.Presented));
    }

    private static OperatingPermit SamplePermit(Licence licence) => new(
        "pmt_019ad1c3f4a07b2e8c5d6e7f80912a3c", "食品经营许可证", "JY16530010000071", "阿图什市市场监督管理局", ReformMode.NotificationCommitment,
        licence.Details.EstablishedOn, licence.Details.EstablishedOn.AddYears(5), PermitStatus.Valid, DateTimeOffset.UnixEpoch);

    /// <summary>The shape of <c>VerificationView</c> in ELicence.Functions (the bench does not reference the function app).</summary>
    private sealed record AnswerView(bool Valid, IReadOnlyList<VerificationReason> Reasons, LicenceSummary? Licence, IReadOnlyList<PermitSummary> Permits, ReceiptView Receipt, Presentation? Presented);

    private sealed record ReceiptView(string Id, string Url, string Jws);
}
