using ELicence.Core.Signatures;
using ELicence.Functions.Verification;

namespace ELicence.Functions.Signatures;

/// <summary>Signing a document's digest with the licence (holder keys with the sign scope) and checking such a signature (verifiers).</summary>
public sealed class SignatureFunctions(HttpApi api, LicenceSigning signing, SignatureVerification verification)
{
    private static readonly Dictionary<string, string> NoStore = new() { ["Cache-Control"] = "no-store" };

    [Function("SignWithLicence")]
    public Task<IActionResult> Sign([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/licences/{code}/signatures")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.Holder, async caller =>
        {
            var signed = await signing.SignAsync(caller, code, await HttpApi.ReadJsonAsync<SignatureRequest>(req), req.HttpContext.RequestAborted);
            return ApiResults.Json(
                new { signed.Attestation.Id, signed.Signature, signed.DocumentSha256, attestation = signed.Attestation },
                StatusCodes.Status201Created,
                NoStore);
        });

    [Function("VerifySignature")]
    public Task<IActionResult> Verify([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/signatures/verifications")] HttpRequest req) =>
        api.RunAsync(req, Access.Verifier, async caller =>
        {
            var result = await verification.VerifyAsync(caller, await HttpApi.ReadJsonAsync<SignatureVerificationRequest>(req), req.HttpContext.RequestAborted);
            return ApiResults.Json(
                new { result.Valid, result.Reasons, signed = result.Attested, licenceNow = result.LicenceNow, receipt = ReceiptLink.Of(result.ReceiptId, result.Receipt) },
                StatusCodes.Status200OK,
                NoStore);
        });
}
