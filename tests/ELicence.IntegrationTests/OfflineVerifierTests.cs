using System.Net;
using System.Text.Json;
using ELicence.Core.Keys;
using ELicence.Jose;
using ELicence.OfflineVerifier;

namespace ELicence.IntegrationTests;

/// <summary>The offline verifier (`elicence verify`) against the running service's own outputs: it agrees with the online answer.</summary>
[Collection(ServiceCollection.Name)]
public class OfflineVerifierTests(ServiceFixture service)
{
    [Fact]
    public async Task The_offline_tool_agrees_with_the_online_answer_for_active_suspended_and_revoked_credentials()
    {
        var active = await CredentialOfNewLicenceAsync("阿图什市离线甲有限公司");
        var suspended = await CredentialOfNewLicenceAsync("阿图什市离线乙有限公司");
        var revoked = await CredentialOfNewLicenceAsync("阿图什市离线丙有限公司");
        await ChangeAsync(suspended.Code, "suspension", new { reasonCode = "annual-report-not-filed", reason = "未按期公示年度报告" });
        await ChangeAsync(revoked.Code, "revocation", new { reason = "提交虚假材料取得登记" });

        foreach (var (credential, expected) in new[] { (active.Credential, "verified"), (suspended.Credential, "suspended"), (revoked.Credential, "revoked") })
        {
            var (_, online, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { credential });
            Assert.Equal(expected, online.GetProperty("reasons")[0].GetProperty("code").GetString());

            // The status lists are republished a moment after a change: run the tool (fresh cache each time) until they are.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            var (exit, offline) = await RunToolAsync(credential);
            while (offline.GetProperty("reasons")[0].GetProperty("code").GetString() != expected && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
                (exit, offline) = await RunToolAsync(credential);
            }

            Assert.Equal(online.GetProperty("valid").GetBoolean(), offline.GetProperty("valid").GetBoolean());
            Assert.Equal(online.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()), offline.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()));
            Assert.Equal(expected == "verified" ? 0 : 1, exit);
            Assert.Contains(offline.GetProperty("notChecked").EnumerateArray(), n => n.GetString()!.StartsWith("licence-not-found", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Offline_with_an_empty_cache_it_cannot_decide_and_says_so()
    {
        var (credential, _) = await CredentialOfNewLicenceAsync("阿图什市离线丁有限公司");
        var cache = Directory.CreateTempSubdirectory("elicence-offline-cache");
        try
        {
            var (first, _) = await RunToolAsync(credential, cache.FullName);          // online: fills the cache
            foreach (var list in Directory.EnumerateFiles(cache.FullName, "*.jwt", SearchOption.AllDirectories))
            {
                File.Delete(list);
            }

            var (second, answer) = await RunToolAsync(credential, cache.FullName, "--offline");

            Assert.Equal(0, first);
            Assert.Equal(2, second);
            Assert.Equal(JsonValueKind.Null, answer.TryGetProperty("valid", out var valid) ? valid.ValueKind : JsonValueKind.Null);
            Assert.Contains(answer.GetProperty("notChecked").EnumerateArray(), n => n.GetString()!.StartsWith("status: no cached", StringComparison.Ordinal));
        }
        finally
        {
            cache.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_batch_receipt_is_checked_with_the_cached_jwks_and_finds_each_items_input_and_outcome()
    {
        var (credential, first) = await CredentialOfNewLicenceAsync("阿图什市离线戊有限公司");
        var second = await service.IssueAsync(Applications.Valid("阿图什市离线己有限公司"));
        var (_, batch, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications/batch", service.VerifierKey,
            new { purpose = "tender:offline", items = new object[] { new { credential }, new { creditCode = second }, new { creditCode = "91653001MA000000XX" } } });
        var jws = batch.GetProperty("receipt").GetProperty("jws").GetString()!;
        var dir = Directory.CreateTempSubdirectory("elicence-receipt");
        try
        {
            var credentialFile = Path.Combine(dir.FullName, "credential.jwt");
            await File.WriteAllTextAsync(credentialFile, credential);

            var (exit, answer) = await RunReceiptToolAsync(dir, jws, "--credential", credentialFile, "--code", second, "--code", "91653001MA000000XX");

            Assert.Equal(0, exit);
            Assert.True(answer.GetProperty("genuine").GetBoolean());
            Assert.Equal(batch.GetProperty("receipt").GetProperty("id").GetString(), answer.GetProperty("id").GetString());
            Assert.Equal("tender:offline", answer.GetProperty("purpose").GetString());
            var inputs = answer.GetProperty("inputs").EnumerateArray().ToList();
            Assert.Equal([0, 1, 2], inputs.Select(i => i.GetProperty("items")[0].GetProperty("index").GetInt32()));
            Assert.Equal(["valid", "valid", "problem"], inputs.Select(i => i.GetProperty("items")[0].GetProperty("outcome").GetString()));
            Assert.Equal(first, inputs[0].GetProperty("items")[0].GetProperty("creditCode").GetString());

            // An input the batch did not hold is reported missing.
            var (missingExit, missing) = await RunReceiptToolAsync(dir, jws, "--code", first);
            Assert.Equal(1, missingExit);
            Assert.True(missing.GetProperty("genuine").GetBoolean());
            Assert.False(missing.GetProperty("inputs")[0].GetProperty("found").GetBoolean());

            // An altered receipt (an outcome rewritten) is not genuine, whatever it holds.
            var parts = jws.Split('.');
            var payload = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1])).Replace("\"problem\"", "\"valid\"", StringComparison.Ordinal);
            var (forgedExit, forged) = await RunReceiptToolAsync(dir, $"{parts[0]}.{B64Url.Encode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}", "--code", second);
            Assert.Equal(1, forgedExit);
            Assert.False(forged.GetProperty("genuine").GetBoolean());
            Assert.Contains("signature does not match", forged.GetProperty("failure").GetString(), StringComparison.Ordinal);

            // A single receipt is not a batch receipt.
            var (_, single, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { creditCode = second });
            var (singleExit, wrongType) = await RunReceiptToolAsync(dir, single.GetProperty("receipt").GetProperty("jws").GetString()!);
            Assert.Equal(1, singleExit);
            Assert.Contains("batch-receipt+jwt", wrongType.GetProperty("failure").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_receipt_command_refuses_bad_usage_and_a_missing_input_file_with_exit_2_and_a_message()
    {
        var error = new StringWriter();
        var noService = await ReceiptCommand.RunAsync(["receipt", "r.jwt", "--code"], service.Http, new StringWriter(), error, TimeProvider.System, default);
        Assert.Equal(2, noService);
        Assert.StartsWith("usage: elicence receipt", error.ToString(), StringComparison.Ordinal);

        var dir = Directory.CreateTempSubdirectory("elicence-receipt-bad");
        try
        {
            var receipt = Path.Combine(dir.FullName, "receipt.jwt");
            await File.WriteAllTextAsync(receipt, "a.b.c");
            var missingError = new StringWriter();
            var output = new StringWriter();
            var missing = await ReceiptCommand.RunAsync(
                ["receipt", receipt, "--service", service.Http.BaseAddress!.ToString(), "--credential", Path.Combine(dir.FullName, "absent.jwt"), "--cache", Path.Combine(dir.FullName, "cache")],
                service.Http, output, missingError, TimeProvider.System, default);
            Assert.Equal(2, missing);
            Assert.Contains("absent.jwt", missingError.ToString(), StringComparison.Ordinal);
            Assert.Empty(output.ToString());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private async Task<(int Exit, JsonElement Answer)> RunReceiptToolAsync(DirectoryInfo dir, string receipt, params string[] inputs)
    {
        var file = Path.Combine(dir.FullName, "receipt.jwt");
        await File.WriteAllTextAsync(file, receipt);
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await ReceiptCommand.RunAsync(
            ["receipt", file, "--service", service.Http.BaseAddress!.ToString(), "--issuer", "http://localhost:7071", "--cache", Path.Combine(dir.FullName, "cache"), .. inputs],
            service.Http, output, error, TimeProvider.System, default);
        Assert.True(output.ToString().Length > 0, error.ToString());
        return (exit, JsonDocument.Parse(output.ToString()).RootElement.Clone());
    }

    private async Task<(int Exit, JsonElement Answer)> RunToolAsync(string credential, string? cache = null, params string[] extra)
    {
        var dir = Directory.CreateTempSubdirectory("elicence-offline");
        try
        {
            var file = Path.Combine(dir.FullName, "credential.jwt");
            await File.WriteAllTextAsync(file, credential);
            var output = new StringWriter();
            var error = new StringWriter();
            var exit = await VerifyCommand.RunAsync(
                ["verify", file, "--service", service.Http.BaseAddress!.ToString(), "--issuer", "http://localhost:7071", "--cache", cache ?? Path.Combine(dir.FullName, "cache"), .. extra],
                service.Http, output, error, TimeProvider.System, default);
            Assert.True(output.ToString().Length > 0, error.ToString());
            return (exit, JsonDocument.Parse(output.ToString()).RootElement.Clone());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private async Task<(string Credential, string Code)> CredentialOfNewLicenceAsync(string name)
    {
        var code = await service.IssueAsync(Applications.Valid(name));
        using var request = service.Request(HttpMethod.Get, $"/api/v1/licences/{code}/credential", await service.CreateHolderKeyAsync(code));
        using var response = await service.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsStringAsync(), code);
    }

    private Task ChangeAsync(string code, string action, object body) => Documents.ServiceCalls.ActAsync(service, code, action, body);
}
