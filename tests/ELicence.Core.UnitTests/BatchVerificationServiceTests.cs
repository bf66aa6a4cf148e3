using System.Security.Cryptography;
using System.Text.Json;
using ELicence.Core.Keys;
using ELicence.Core.Licences;
using ELicence.Core.Problems;
using ELicence.Core.Serialization;
using ELicence.Jose;

namespace ELicence.Core.UnitTests;

/// <summary>Batch verification over the fakes: the single check per item, per-item problems, one receipt for all.</summary>
public class BatchVerificationServiceTests
{
    private readonly VerificationHarness _h = new();

    [Fact]
    public async Task Items_are_answered_in_input_order_each_as_a_single_verification_would_answer_it()
    {
        var active = _h.Issue(Builders.Licence(1));
        var revoked = Builders.Licence(2) with { Status = LicenceStatus.Revoked, StatusDetail = new StatusDetail(VerificationHarness.Now, "revoked", "提交虚假材料取得登记", new DateOnly(2026, 11, 30), null) };
        _h.Issue(revoked);

        var result = await VerifyAsync(new { credential = active }, new { creditCode = revoked.Code.Value }, new { creditCode = Builders.Licence(1).Code.Value.ToLowerInvariant() });

        Assert.Equal([BatchOutcome.Valid, BatchOutcome.Invalid, BatchOutcome.Valid], result.Items.Select(i => i.Outcome));
        Assert.Equal([0, 1, 2], result.Items.Select(i => i.Index));
        Assert.Equal(ReasonCodes.Revoked, result.Items[1].Check!.Reasons.Single(r => ReasonCodes.IsBlocking(r.Code)).Code);
        Assert.Equal((await _h.VerifyCredentialAsync(active)).Reasons, result.Items[0].Check!.Reasons);
        Assert.Equal(new BatchSummary(3, 2, 1, 0), result.Summary);
    }

    [Theory]
    [InlineData("42", "items[0]")]
    [InlineData("""{"creditCode": 91653001}""", "items[0]")]
    [InlineData("""{"code": "x"}""", "items[0]")]
    [InlineData("{}", "items[0]")]
    [InlineData("""{"creditCode": "not-a-code"}""", "items[0].creditCode")]
    [InlineData("""{"credential": "a.b"}""", "items[0].credential")]
    [InlineData("""{"credential": "a.b.c", "creditCode": "x"}""", "items[0].credential")]
    public async Task A_malformed_item_is_a_problem_of_that_item_only_named_by_its_place_in_the_batch(string item, string field)
    {
        _h.Issue(Builders.Licence());

        var result = await VerifyRawAsync($$"""[{{item}}, {"creditCode": "{{Builders.Licence().Code.Value}}"}]""");

        var problem = result.Items[0].Problem!;
        Assert.Equal(BatchOutcome.Problem, result.Items[0].Outcome);
        Assert.Equal(ProblemType.Validation, problem.Type);
        Assert.Equal(field, Assert.Single(problem.Errors).Field);
        Assert.StartsWith("items[0]: ", problem.Message, StringComparison.Ordinal);
        Assert.Equal(BatchOutcome.Valid, result.Items[1].Outcome);
        Assert.Equal(new BatchSummary(2, 1, 0, 1), result.Summary);
    }

    [Fact]
    public async Task A_code_the_register_does_not_hold_is_a_not_found_problem_of_its_item()
    {
        var result = await VerifyAsync(new { creditCode = Builders.Licence(9).Code.Value });

        Assert.Equal(ProblemType.LicenceNotFound, result.Items[0].Problem!.Type);
        var item = Assert.Single(Stored().Receipt.Items);
        Assert.Equal([ProblemType.LicenceNotFound.Uri], item.Reasons);
        Assert.Null(item.CreditCode);
    }

    [Fact]
    public async Task One_signed_receipt_records_every_item_digest_code_and_outcome()
    {
        var jws = _h.Issue(Builders.Licence());

        var result = await VerifyAsync(new { credential = " " + jws + "\n" }, new { creditCode = Builders.Licence().Code.Value }, 7);

        var stored = Stored();
        Assert.Equal(result.ReceiptId, stored.Id);
        Assert.Equal(result.Receipt, stored.Jws);
        Assert.Equal(Builders.Bank.Id, stored.VerifierId);
        Assert.True(CompactJws.TryParse(stored.Jws, out var parsed, out _));
        Assert.Equal(BatchReceipt.JwsType, parsed.Type);
        Assert.True(Ed25519.Verify(_h.Active.PublicKey, parsed.SigningInput, parsed.Signature));
        var claims = ElicenceJson.Deserialize<BatchReceipt>(parsed.Payload)!;
        Assert.Equal(stored.Receipt, claims with { Items = stored.Receipt.Items });
        Assert.Equal([Sha256(jws), Sha256(Builders.Licence().Code.Value), Sha256("7")], claims.Items.Select(i => i.InputSha256));
        Assert.Equal([Builders.Licence().Code.Value, Builders.Licence().Code.Value, null], claims.Items.Select(i => i.CreditCode));
        Assert.Equal(["credential", "credit-code", null], claims.Items.Select(i => i.Kind));
        Assert.Equal([BatchOutcome.Valid, BatchOutcome.Valid, BatchOutcome.Problem], claims.Items.Select(i => i.Outcome));
        Assert.Equal(new BatchSummary(3, 2, 0, 1), claims.Summary);
        Assert.Equal(Builders.Bank.Kind, claims.Verifier.Kind);
        Assert.Equal("tender:2026-0042", claims.Purpose);
        Assert.Equal(VerificationHarness.Now, claims.VerifiedAt);
    }

    [Fact]
    public async Task Five_hundred_items_are_checked_concurrently_and_answered_in_order()
    {
        var codes = Enumerable.Range(1, 50).Select(n => { _h.Issue(Builders.Licence(n)); return Builders.Licence(n).Code.Value; }).ToList();
        var items = Enumerable.Range(0, BatchVerificationService.MaxItems).Select(i => (object)new { creditCode = codes[i % codes.Count] }).ToArray();

        var result = await VerifyAsync(items);

        Assert.Equal(BatchVerificationService.MaxItems, result.Summary.Valid);
        Assert.Equal(Enumerable.Range(0, BatchVerificationService.MaxItems).Select(i => codes[i % codes.Count]), result.Items.Select(i => i.Check!.Licence!.CreditCode));
    }

    [Theory]
    [InlineData(BatchVerificationService.MaxItems + 1, "payload-too-large")]
    [InlineData(0, "validation")]
    public async Task Too_many_or_no_items_are_refused_whole_and_nothing_is_checked_or_stored(int count, string problem)
    {
        _h.Issue(Builders.Licence());
        var reads = _h.Licences.Reads;

        var refused = await Assert.ThrowsAsync<ProblemException>(() => VerifyAsync([.. Enumerable.Repeat<object>(new { creditCode = Builders.Licence().Code.Value }, count)]));

        Assert.Equal(problem, refused.Type.Slug);
        Assert.Equal(reads, _h.Licences.Reads);
        Assert.Empty(_h.BatchReceipts.All);
    }

    [Fact]
    public async Task A_bad_purpose_refuses_the_batch_before_anything_is_checked()
    {
        var refused = await Assert.ThrowsAsync<ProblemException>(() =>
            _h.Batch.VerifyAsync(VerificationHarness.Verifier, new BatchVerificationRequest("Tender 42", Items(new { creditCode = Builders.Licence().Code.Value })), default));

        Assert.Equal("purpose", Assert.Single(refused.Errors).Field);
        Assert.Empty(_h.BatchReceipts.All);
    }

    [Fact]
    public async Task A_licence_named_by_several_items_is_read_once_per_batch_and_each_item_is_still_checked()
    {
        var first = _h.Issue(Builders.Licence(1));
        var second = _h.Issue(Builders.Licence(2));
        var at = first.Length - 10; // inside the signature, where every base64url character carries 6 bits
        var tampered = first[..at] + (first[at] == 'A' ? 'B' : 'A') + first[(at + 1)..];

        var result = await VerifyAsync(
            new { creditCode = Builders.Licence(1).Code.Value }, new { credential = first }, new { credential = tampered },
            new { creditCode = Builders.Licence(2).Code.Value }, new { credential = second }, new { creditCode = Builders.Licence(1).Code.Value });

        Assert.Equal(2, _h.Licences.Calls["FindCurrentWithPermitsAsync"]);
        Assert.Equal([BatchOutcome.Valid, BatchOutcome.Valid, BatchOutcome.Invalid, BatchOutcome.Valid, BatchOutcome.Valid, BatchOutcome.Valid], result.Items.Select(i => i.Outcome));
        Assert.Equal(ReasonCodes.BadSignature, result.Items[2].Check!.Reasons.Single(r => ReasonCodes.IsBlocking(r.Code)).Code);
    }

    [Fact]
    public async Task Single_verifications_read_the_register_each_time()
    {
        var credential = _h.Issue(Builders.Licence(1));

        await _h.VerifyCredentialAsync(credential);
        await _h.VerifyCredentialAsync(credential);

        Assert.Equal(2, _h.Licences.Calls["FindCurrentWithPermitsAsync"]);
    }

    private Task<BatchVerificationResult> VerifyAsync(params object[] items) =>
        _h.Batch.VerifyAsync(VerificationHarness.Verifier, new BatchVerificationRequest("tender:2026-0042", Items(items)), default);

    private Task<BatchVerificationResult> VerifyRawAsync(string itemsJson) =>
        _h.Batch.VerifyAsync(VerificationHarness.Verifier, new BatchVerificationRequest("tender:2026-0042", [.. JsonDocument.Parse(itemsJson).RootElement.EnumerateArray().Select(e => e.Clone())]), default);

    private static List<JsonElement> Items(params object[] items) => [.. items.Select(i => JsonSerializer.SerializeToElement(i))];

    private StoredBatchReceipt Stored() => Assert.Single(_h.BatchReceipts.All);

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
