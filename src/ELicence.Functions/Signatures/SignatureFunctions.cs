using ELicence.Core.Signatures;
using ELicence.Core.Verification;
using ELicence.Functions.Verification;

namespace ELicence.Functions.Signatures;

/// <summary>Signing a document's digest with the licence (holder keys with the sign scope) and checking such a signature (verifiers).</summary>
public sealed class SignatureFunctions(HttpApi<SignatureFunctions> api, LicenceSigning signing, SignatureVerification verification)
{
    [Function("SignWithLicence")]
    [Endpoint(Access.Holder, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> Sign([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/signatures")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
        {
            var signed = await signing.SignAsync(call.Caller, code, await call.ReadJsonAsync<SignatureRequest>(), call.Cancellation);
            return ApiResults.Json(new SignedView(signed.Attestation.Id, signed.Signature, signed.DocumentSha256, signed.Attestation), StatusCodes.Status201Created);
        });

    [Function("VerifySignature")]
    [Endpoint(Access.Verifier, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> Verify([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/signatures/verifications")] HttpRequest req) =>
        api.RunAsync(req, async call =>
        {
            var result = await verification.VerifyAsync(call.Caller, await call.ReadJsonAsync<SignatureVerificationRequest>(), call.Cancellation);
            return ApiResults.Json(new SignatureCheckView(result.Valid, result.Reasons, result.Attested, result.LicenceNow, ReceiptLink.Of(result.ReceiptId, result.Receipt)));
        });
}

/// <summary>A signature made with the licence: <see cref="Id"/> is its attestation's, which the verifier gets back.</summary>
public sealed record SignedView(string Id, string Signature, string DocumentSha256, SignatureAttestation Attestation);

/// <summary>A checked signature: who signed what (<see cref="Attested"/>, as "signed"), the licence as it stands now, and the receipt.</summary>
public sealed record SignatureCheckView(bool Valid, IReadOnlyList<VerificationReason> Reasons, [property: System.Text.Json.Serialization.JsonPropertyName("signed")] SignatureAttestation? Attested, LicenceSummary? LicenceNow, ReceiptLink Receipt);
