using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using ELicence.Storage;

namespace ELicence.IntegrationTests;

/// <summary>Batch verification at a bid opening, over HTTP against Azurite: per-item answers, one receipt a JOSE library verifies.</summary>
[Collection(ServiceCollection.Name)]
public class BatchVerificationTests(ServiceFixture service)
{
    [Fact]
    public async Task Presentations_are_batch_items_checked_like_a_single_presentation_and_malformed_ones_are_per_item_problems()
    {
        var code = await service.IssueAsync(Applications.Valid("阿图什市投标人出示有限公司"));
        var holder = await service.CreateHolderKeyAsync(code);
        var (_, made, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/presentations", holder, new { audience = service.VerifierId, disclose = new[] { "domicile" } });
        var presentation = made.GetProperty("presentation").GetString()!;
        var nonce = made.GetProperty("nonce").GetString()!;
        var items = new object[]
        {
            new { presentation, nonce },
            new { presentation, nonce },                    // the same presentation again: single use
            new { presentation = "not~an~sd-jwt", nonce },
            new { presentation, creditCode = code },
            new { creditCode = code, nonce },
            new { presentation = 7 },
        };

        var (status, batch, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications/batch", service.VerifierKey, new { purpose = "tender:2026-0043", items });

        Assert.Equal(HttpStatusCode.OK, status);
        var results = batch.GetProperty("items").EnumerateArray().ToList();
        // Items are checked concurrently: whichever of the two copies comes first is used, the other is a replay.
        var copies = results.Take(2).OrderBy(r => r.GetProperty("outcome").GetString(), StringComparer.Ordinal).ToList();
        Assert.Equal(["invalid", "valid"], copies.Select(r => r.GetProperty("outcome").GetString()));
        Assert.Equal(["problem", "problem", "problem", "problem"], results.Skip(2).Select(r => r.GetProperty("outcome").GetString()));
        Assert.Equal(code, copies[1].GetProperty("presented").GetProperty("licence").GetProperty("creditCode").GetString());
        Assert.Equal("replayed", copies[0].GetProperty("reasons")[0].GetProperty("code").GetString());
        Assert.StartsWith("items[2]", results[2].GetProperty("problem").GetProperty("errors")[0].GetProperty("field").GetString(), StringComparison.Ordinal);
        Assert.Equal("items[3].presentation", results[3].GetProperty("problem").GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal("items[4].nonce", results[4].GetProperty("problem").GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal("items[5]", results[5].GetProperty("problem").GetProperty("errors")[0].GetProperty("field").GetString());
        var claims = await JoseTool.VerifyAsync(await service.Http.GetStringAsync("/.well-known/jwks.json"), batch.GetProperty("receipt").GetProperty("jws").GetString()!, "batch-receipt+jwt");
        Assert.True(claims.Verified, claims.Error);
        var used = claims.Result!.Value.GetProperty("payload").GetProperty("items")[copies[1].GetProperty("index").GetInt32()];
        Assert.Equal("presentation", used.GetProperty("kind").GetString());
        Assert.Equal(Sha256(presentation), used.GetProperty("inputSha256").GetString());
        Assert.Equal(code, used.GetProperty("creditCode").GetString());
        Assert.Equal("valid", used.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Bidders_are_checked_in_one_call_in_input_order_with_per_item_problems_and_one_signed_receipt()
    {
        var first = await service.IssueAsync(Applications.Valid("阿图什市投标人甲有限公司"));
        var second = await service.IssueAsync(Applications.Valid("阿图什市投标人乙有限公司"));
        var credential = await CredentialAsync(first);
        var items = new object[]
        {
            new { credential },
            new { creditCode = second },
            new { creditCode = "91653001MA000000XX" },
            new { creditCode = second, credential = "x" },
            42,
        };

        var (status, batch, response) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications/batch", service.VerifierKey, new { purpose = "tender:2026-0042", items });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var results = batch.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2, 3, 4], results.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Equal(["valid", "valid", "problem", "problem", "problem"], results.Select(r => r.GetProperty("outcome").GetString()));
        Assert.Equal(first, results[0].GetProperty("licence").GetProperty("creditCode").GetString());
        Assert.Equal("verified", results[1].GetProperty("reasons")[0].GetProperty("code").GetString());
        var problem = results[2].GetProperty("problem");
        Assert.Equal("urn:elicence:problem:validation", problem.GetProperty("type").GetString());
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal("items[2].creditCode", problem.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal("items[4]", results[4].GetProperty("problem").GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal((5, 2, 0, 3), Summary(batch.GetProperty("summary")));

        // One receipt for the batch: a standard JOSE library verifies it with the JWKS alone.
        var receipt = batch.GetProperty("receipt");
        var jwks = await service.Http.GetStringAsync("/.well-known/jwks.json");
        var check = await JoseTool.VerifyAsync(jwks, receipt.GetProperty("jws").GetString()!, "batch-receipt+jwt");
        Assert.True(check.Verified, check.Error);
        var claims = check.Result!.Value.GetProperty("payload");
        Assert.Equal(service.VerifierId, claims.GetProperty("verifier").GetProperty("id").GetString());
        Assert.Equal("tender:2026-0042", claims.GetProperty("purpose").GetString());
        var receiptItems = claims.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(Sha256(credential), receiptItems[0].GetProperty("inputSha256").GetString());
        Assert.Equal(Sha256(second), receiptItems[1].GetProperty("inputSha256").GetString());
        Assert.Equal(Sha256("42"), receiptItems[4].GetProperty("inputSha256").GetString());
        Assert.Equal([first, second], receiptItems.Take(2).Select(i => i.GetProperty("creditCode").GetString()));
        Assert.Equal(["valid", "valid", "problem", "problem", "problem"], receiptItems.Select(i => i.GetProperty("outcome").GetString()));

        // Fetched later by its owner and the registrar; another verifier is told it does not exist.
        var id = receipt.GetProperty("id").GetString()!;
        var (ownStatus, stored, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/receipts/{id}", service.VerifierKey);
        Assert.Equal(HttpStatusCode.OK, ownStatus);
        Assert.Equal(receipt.GetProperty("jws").GetString(), stored.GetProperty("receipt").GetString());
        Assert.Equal(HttpStatusCode.OK, (await service.SendAsync(HttpMethod.Get, $"/api/v1/receipts/{id}", service.RegistrarKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await service.SendAsync(HttpMethod.Get, $"/api/v1/receipts/{id}", service.OtherVerifierKey)).Status);

        // Each licence's usage records show the batch check (the receipt relay writes them within seconds), as does the verifier's index.
        Assert.Single(await service.RowsAsync(StorageNames.LicenceUsageTable, $"PartitionKey eq '{first}' and ReceiptId eq '{id}'"));
        Assert.Single(await service.RowsAsync(StorageNames.LicenceUsageTable, $"PartitionKey eq '{second}' and ReceiptId eq '{id}'"));
        Assert.Single(await service.RowsAsync(StorageNames.ReceiptsByVerifierTable, $"PartitionKey eq '{service.VerifierId}' and RowKey eq '{id}'"));
    }

    [Fact]
    public async Task Five_hundred_credentials_are_checked_in_one_call_and_five_hundred_and_one_are_refused_whole()
    {
        var code = await service.IssueAsync(Applications.Valid("阿图什市五百投标人有限公司"));
        var credential = await CredentialAsync(code);

        var (status, batch, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications/batch", service.VerifierKey,
            new { purpose = "tender:2026-0500", items = Enumerable.Repeat(new { credential }, 500) });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((500, 500, 0, 0), Summary(batch.GetProperty("summary")));

        var before = await service.SnapshotAsync();
        var (tooMany, problem, response) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications/batch", service.VerifierKey,
            new { items = Enumerable.Repeat(new { creditCode = code }, 501) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMany);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(500, problem.GetProperty("limit").GetInt32());
        Assert.Equal(before, await service.SnapshotAsync());
    }

    [Fact]
    public async Task A_body_over_the_batch_limit_is_a_413_problem_and_an_empty_batch_a_400_and_neither_leaves_a_receipt()
    {
        var before = await service.SnapshotAsync();
        using var huge = service.Request(HttpMethod.Post, "/api/v1/verifications/batch", service.VerifierKey);
        huge.Content = Json.Raw("""{"items": [{"credential": """ + JsonSerializer.Serialize(new string('a', (2 * 1024 * 1024) + 1)) + "}]}");

        using var tooLarge = await service.Http.SendAsync(huge);
        var (empty, _, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications/batch", service.VerifierKey, new { items = Array.Empty<object>() });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("urn:elicence:problem:payload-too-large", (await Json.ReadAsync(tooLarge)).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, empty);
        Assert.Equal(before, await service.SnapshotAsync());
    }

    private async Task<string> CredentialAsync(string code)
    {
        using var request = service.Request(HttpMethod.Get, $"/api/v1/licences/{code}/credential", await service.CreateHolderKeyAsync(code));
        using var response = await service.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static (int, int, int, int) Summary(JsonElement s) =>
        (s.GetProperty("total").GetInt32(), s.GetProperty("valid").GetInt32(), s.GetProperty("invalid").GetInt32(), s.GetProperty("problem").GetInt32());

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
