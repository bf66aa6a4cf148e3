using ELicence.Core.Receipts;
using ELicence.Core.Verification;

namespace ELicence.Functions.Verification;

/// <summary>Verification by banks and tendering platforms, and the receipts it leaves.</summary>
public sealed class VerificationFunctions(HttpApi<VerificationFunctions> api, VerificationService verification, BatchVerificationService batches, ReceiptQueries receipts)
{
    [Function("Verify")]
    [Endpoint(Access.Verifier, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> Verify([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/verifications")] HttpRequest req) =>
        api.RunAsync(req, async call =>
        {
            var body = await call.ReadJsonAsync<VerificationRequest>();
            var result = await verification.VerifyAsync(call.Caller, body, call.Cancellation);
            return ApiResults.Json(
                new VerificationView(result.Valid, result.Reasons, result.Licence, result.Permits, ReceiptLink.Of(result.ReceiptId, result.Receipt), result.Presented));
        });

    /// <summary>
    /// Up to 500 credentials, presentations or codes in one call (a tender's bid opening): a result per item in input order, counts by
    /// outcome, and one signed receipt for all. A malformed item is a problem of that item only; a batch too large is refused whole.
    /// </summary>
    [Function("VerifyBatch")]
    [Endpoint(Access.Verifier, Rate = RatePolicy.VerificationBatch, Cache = CachePolicy.NoStore, MaxBody = HttpApi.MaxBatchBodyBytes)]
    public Task<IActionResult> VerifyBatch([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/verifications/batch")] HttpRequest req) =>
        api.RunAsync(req, async call =>
        {
            var body = await call.ReadJsonAsync<BatchVerificationRequest>();
            var result = await batches.VerifyAsync(call.Caller, body, call.Cancellation);
            var items = result.Items.Select(i => new BatchItemView(
                i.Index,
                i.Outcome,
                i.Check?.Valid,
                i.Check?.Reasons,
                i.Check?.Licence,
                i.Check?.Permits,
                i.Check?.Presented,
                i.Problem is null ? null : ApiResults.ProblemBody(i.Problem, null, null)));
            return ApiResults.Json(new BatchVerificationView(result.Summary, items.ToList(), ReceiptLink.Of(result.ReceiptId, result.Receipt)));
        });

    /// <summary>A stored receipt, single or batch: JSON with the signed token and its decoded claims, or the bare token for Accept: application/jwt.</summary>
    [Function("GetReceipt")]
    [Endpoint(Access.RegistrarOrVerifier)]
    public Task<IActionResult> GetReceipt([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/receipts/{id}")] HttpRequest req, string id) =>
        api.RunAsync(req, async call =>
        {
            var stored = await receipts.GetAsync(call.Caller, id, call.Cancellation);
            return req.Headers.Accept.ToString().Contains("application/jwt", StringComparison.OrdinalIgnoreCase)
                ? ApiResults.Text(stored.Jws, "application/jwt")
                : ApiResults.Json(new ReceiptView(stored.Id, stored.Jws, stored.Claims));
        });
}

/// <summary>A stored receipt: the signed token and its decoded claims.</summary>
public sealed record ReceiptView(string Id, string Receipt, object Claims);

public sealed record ReceiptLink(string Id, string Url, string Jws)
{
    public static ReceiptLink Of(string id, string jws) => new(id, $"/api/v1/receipts/{id}", jws);
}

/// <summary>For a presentation, <see cref="Licence"/> is absent and <see cref="Presented"/> holds what the holder chose to show.</summary>
public sealed record VerificationView(bool Valid, IReadOnlyList<VerificationReason> Reasons, LicenceSummary? Licence, IReadOnlyList<PermitSummary> Permits, ReceiptLink Receipt, ELicence.Core.Presentations.Presentation? Presented);

/// <summary>One item's answer: the same fields as a single verification, or an RFC 9457 problem object when the item could not be checked.</summary>
public sealed record BatchItemView(int Index, BatchOutcome Outcome, bool? Valid, IReadOnlyList<VerificationReason>? Reasons, LicenceSummary? Licence, IReadOnlyList<PermitSummary>? Permits, ELicence.Core.Presentations.Presentation? Presented, IReadOnlyDictionary<string, object?>? Problem);

public sealed record BatchVerificationView(BatchSummary Summary, IReadOnlyList<BatchItemView> Items, ReceiptLink Receipt);
