using ELicence.Core.Licences;
using ELicence.Core.Verification;

namespace ELicence.Functions.Verification;

/// <summary>Verification by banks and tendering platforms, and the receipts it leaves.</summary>
public sealed class VerificationFunctions(HttpApi api, VerificationService verification, LicenceQueries queries)
{
    [Function("Verify")]
    public Task<IActionResult> Verify([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/verifications")] HttpRequest req) =>
        api.RunAsync(req, Access.Verifier, async caller =>
        {
            var body = await HttpApi.ReadJsonAsync<VerificationRequest>(req);
            var result = await verification.VerifyAsync(caller, body, req.HttpContext.RequestAborted);
            var receiptUrl = $"/api/v1/receipts/{result.ReceiptId}";
            return ApiResults.Json(
                new VerificationView(result.Valid, result.Reasons, result.Licence, result.Permits, new ReceiptLink(result.ReceiptId, receiptUrl, result.Receipt)),
                StatusCodes.Status200OK,
                new Dictionary<string, string> { ["Cache-Control"] = "no-store" });
        });

    /// <summary>A stored receipt: JSON with the signed token and its decoded claims, or the bare token for Accept: application/jwt.</summary>
    [Function("GetReceipt")]
    public Task<IActionResult> GetReceipt([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/receipts/{id}")] HttpRequest req, string id) =>
        api.RunAsync(req, Access.RegistrarOrVerifier, async caller =>
        {
            var stored = await queries.GetReceiptAsync(caller, id, req.HttpContext.RequestAborted);
            return req.Headers.Accept.ToString().Contains("application/jwt", StringComparison.OrdinalIgnoreCase)
                ? ApiResults.Text(stored.Jws, "application/jwt")
                : ApiResults.Json(new { stored.Id, receipt = stored.Jws, claims = stored.Receipt });
        });
}

public sealed record ReceiptLink(string Id, string Url, string Jws);

public sealed record VerificationView(bool Valid, IReadOnlyList<VerificationReason> Reasons, LicenceSummary? Licence, IReadOnlyList<PermitSummary> Permits, ReceiptLink Receipt);
