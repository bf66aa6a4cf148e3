using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using ELicence.Core.Callers;
using ELicence.Core.Credentials;
using ELicence.Core.Operations;
using ELicence.Core.Problems;
using ELicence.Core.Receipts;

namespace ELicence.Core.Verification;

/// <summary>A batch: why, and the items, each <c>{"creditCode": …}</c>, <c>{"credential": …}</c> or <c>{"presentation": …, "nonce": …}</c> (read one by one, so a bad item spoils only itself).</summary>
public sealed record BatchVerificationRequest(string? Purpose, IReadOnlyList<JsonElement>? Items);

public enum BatchOutcome
{
    Valid,
    Invalid,
    Problem,
}

/// <summary>Counts by outcome.</summary>
public sealed record BatchSummary(int Total, int Valid, int Invalid, int Problem);

/// <summary>One item's answer: its check, or the problem that kept it from being checked.</summary>
public sealed record BatchItemResult(int Index, BatchOutcome Outcome, LicenceCheck? Check, ProblemException? Problem);

public sealed record BatchVerificationResult(IReadOnlyList<BatchItemResult> Items, BatchSummary Summary, string ReceiptId, string Receipt);

/// <summary>Batch verification settings (section <c>Verification</c>).</summary>
public sealed class VerificationOptions
{
    public const string Section = "Verification";

    /// <summary>How many items of one batch are checked at the same time.</summary>
    [Range(1, 64)]
    public int BatchParallelism { get; set; } = 16;
}

/// <summary>
/// Checks up to <see cref="MaxItems"/> items with bounded parallelism, each with the same <see cref="LicenceChecker"/> as a
/// single verification (every check made, each licence read once per batch), and signs one receipt for all of them.
/// </summary>
public sealed class BatchVerificationService(LicenceChecker checker, Presentations.PresentationChecker presentations, IBatchReceiptStore receipts, IssuerOptions issuer, VerificationOptions options)
{
    /// <summary>A tender's bidders at one opening, with room to spare; more is refused before anything is checked.</summary>
    public const int MaxItems = 500;

    private static readonly string[] Members = ["credential", "creditCode", "presentation", "nonce"];

    public async Task<BatchVerificationResult> VerifyAsync(Caller verifier, BatchVerificationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(request);
        var purpose = VerificationService.ValidatePurpose(request.Purpose);
        var items = request.Items is { Count: > 0 } i ? i : throw ProblemException.Invalid("items", $"Send 1 to {MaxItems} items.");
        if (items.Count > MaxItems)
        {
            throw new ProblemException(ProblemType.PayloadTooLarge, $"A batch holds at most {MaxItems} items; this one has {items.Count}. Nothing was checked: split it.",
                extensions: new Dictionary<string, object?> { ["limit"] = MaxItems });
        }

        using var activity = ElicenceTelemetry.Source.StartActivity(ElicenceTelemetry.VerifySpan);
        activity?.SetTag("elicence.verification.items", items.Count);
        // A licence named by several items (by code and by credential, or twice) is read once for the batch.
        var moment = await checker.BeginAsync(cancellationToken) with { SharedReads = new() };
        var results = new BatchItemResult[items.Count];
        var receiptItems = new BatchReceiptItem[items.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, items.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.BatchParallelism, CancellationToken = cancellationToken },
            async (index, token) => (results[index], receiptItems[index]) = await CheckItemAsync(verifier, index, items[index], moment, token));

        var summary = new BatchSummary(
            results.Length,
            results.Count(r => r.Outcome == BatchOutcome.Valid),
            results.Count(r => r.Outcome == BatchOutcome.Invalid),
            results.Count(r => r.Outcome == BatchOutcome.Problem));
        var receipt = new BatchReceipt(issuer.Id, BatchReceipt.NewId(), moment.Now.ToUnixTimeSeconds(), moment.Now, ReceiptVerifier.Of(verifier), purpose, summary, receiptItems);
        var signed = receipt.Sign(moment.Ring.Signing);
        await receipts.SaveAsync(new StoredBatchReceipt(receipt.Id, verifier.Id, signed, receipt), cancellationToken);
        activity?.SetTag("elicence.receipt.id", receipt.Id);
        foreach (var result in results)
        {
            ElicenceTelemetry.CountVerification(result.Outcome switch { BatchOutcome.Valid => "valid", BatchOutcome.Invalid => "invalid", _ => "problem" }, "batch");
        }
        return new BatchVerificationResult(results, summary, receipt.Id, signed);
    }

    private async Task<(BatchItemResult, BatchReceiptItem)> CheckItemAsync(Caller verifier, int index, JsonElement item, CheckMoment moment, CancellationToken cancellationToken)
    {
        var input = ReadItem(item, out var presented);
        var digest = LicenceChecker.Digest(presented);
        try
        {
            var check = input switch
            {
                null => throw NotAnItem(),
                { Presentation: not null } => await VerificationService.CheckPresentationAsync(presentations, verifier, input, moment, cancellationToken),
                { Nonce: not null } => throw ProblemException.Invalid("nonce", "A nonce goes with a presentation only."),
                _ => await checker.CheckAsync(new VerificationInput(input.Credential, input.CreditCode), moment, cancellationToken),
            };
            var outcome = check.Valid ? BatchOutcome.Valid : BatchOutcome.Invalid;
            return (
                new BatchItemResult(index, outcome, check, null),
                new BatchReceiptItem(index, check.Target.Kind, digest, check.Target.CreditCode, check.Target.LicenceVersion, outcome, [.. check.Reasons.Select(r => r.Code)]));
        }
        catch (ProblemException problem)
        {
            var located = Locate(problem, index);
            var kind = input?.Presentation is not null ? "presentation" : input?.Credential is not null ? "credential" : input?.CreditCode is not null ? "credit-code" : null;
            return (
                new BatchItemResult(index, BatchOutcome.Problem, null, located),
                new BatchReceiptItem(index, kind, digest, null, null, BatchOutcome.Problem, [problem.Type.Uri]));
        }
    }

    /// <summary>
    /// The item as a request when it is an object of string members <c>credential</c>, <c>creditCode</c>, <c>presentation</c>,
    /// <c>nonce</c> only (which combinations are allowed is checked as for a single verification); <paramref name="presented"/>
    /// is what its digest covers: the presentation, credential or code, else the item's JSON text.
    /// </summary>
    private static VerificationRequest? ReadItem(JsonElement item, out string presented)
    {
        presented = item.GetRawText();
        if (item.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in item.EnumerateObject())
        {
            if (!Members.Contains(member.Name, StringComparer.Ordinal) || member.Value.ValueKind != JsonValueKind.String || !values.TryAdd(member.Name, member.Value.GetString()!))
            {
                return null;
            }
        }

        var request = new VerificationRequest(values.GetValueOrDefault("credential"), values.GetValueOrDefault("creditCode"), null, values.GetValueOrDefault("presentation"), values.GetValueOrDefault("nonce"));
        presented = request.Presentation ?? request.Credential ?? request.CreditCode ?? presented;
        return request is { Credential: null, CreditCode: null, Presentation: null } ? null : request;
    }

    private static ProblemException NotAnItem() =>
        ProblemException.Invalid("", "An item is an object with one string member: credential (a compact JWS), creditCode, or presentation (an SD-JWT VC presentation, with its nonce).");

    /// <summary>The problem with its fields placed in the batch: <c>creditCode</c> → <c>items[3].creditCode</c>.</summary>
    private static ProblemException Locate(ProblemException problem, int index) =>
        new(problem.Type, $"items[{index}]: {problem.Message}", [.. problem.Errors.Select(e => e with { Field = e.Field.Length == 0 ? $"items[{index}]" : $"items[{index}].{e.Field}" })], problem.Extensions);
}
