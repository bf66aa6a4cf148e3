using System.Text.RegularExpressions;
using ELicence.Core.Callers;
using ELicence.Core.Verifiers;

namespace ELicence.IntegrationTests;

/// <summary>The README walkthrough, end to end over HTTP: issue, fetch, verify as a bank, check the receipt independently.</summary>
[Collection(ServiceCollection.Name)]
public partial class WalkthroughTests(ServiceFixture service)
{
    /// <summary>
    /// Runs the README's walkthrough blocks as they are written, as one bash script, against this test host: the text a
    /// newcomer pastes is the text that is tested. Only the keys file, the base URL and the status-list wait differ.
    /// </summary>
    [Fact]
    public async Task The_README_walkthrough_pasted_as_one_script_works_and_ends_with_the_current_credential_revoked_offline()
    {
        var readme = await File.ReadAllTextAsync(RepositoryFiles.Find("README.md")!);
        var walkthrough = readme[readme.IndexOf("## Walkthrough", StringComparison.Ordinal)..readme.IndexOf("## Callers", StringComparison.Ordinal)];
        var blocks = ShellBlock().Matches(walkthrough).Select(m => m.Groups[1].Value).ToList();
        Assert.True(blocks.Count >= 3, "the walkthrough has its shell blocks");

        var dir = Directory.CreateTempSubdirectory("elicence-readme");
        try
        {
            // The README runs from the repository root: its tools under tests/, its keys in .local/, its files in the current directory.
            Directory.CreateSymbolicLink(Path.Combine(dir.FullName, "tests"), Path.Combine(RepositoryFiles.Root(), "tests"));
            Directory.CreateDirectory(Path.Combine(dir.FullName, ".local"));
            var verifiers = service.Services.GetRequiredService<VerifierService>();
            var platform = await verifiers.CreateAsync(Caller.Registrar("registrar:test", "Test registrar"), new NewVerifierRequest("Walkthrough tendering platform", VerifierKind.TenderingPlatform), null, default);
            var tenderKey = (await verifiers.IssueKeyAsync(platform.Id, default)).Key;
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, ".local", "dev-keys.env"),
                $"export ELICENCE_REGISTRAR_KEY={service.RegistrarKey}\nexport ELICENCE_SUPERVISOR_KEY={service.SupervisorKey}\nexport ELICENCE_VERIFIER_KEY={service.VerifierKey}\nexport ELICENCE_TENDER_KEY={tenderKey}\n");
            var script = Path.Combine(dir.FullName, "walkthrough.sh");
            await File.WriteAllTextAsync(script, "set -euo pipefail\n" + string.Join("\n", blocks));

            var (exit, output, error) = await ExternalProcess.RunAsync("bash", [script], dir.FullName, new Dictionary<string, string>
            {
                ["ELICENCE_BASE"] = service.Http.BaseAddress!.ToString().TrimEnd('/'),
                ["ELICENCE_STATUS_LIST_WAIT"] = "2", // the test host publishes status lists after 0.2 s, not 10 s
                ["ELICENCE_WEBHOOK_PORT"] = service.WebhookPort.ToString(System.Globalization.CultureInfo.InvariantCulture), // the one loopback port the host allows
            });

            Assert.True(exit == 0, $"exit {exit}\n{error}\n{output}");
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Contains("revoked", lines); // the offline check of the current credential prints one word
            Assert.Contains("\"status\":\"issued\"", output, StringComparison.Ordinal);
            Assert.Contains("\"code\":\"superseded\"", output, StringComparison.Ordinal);
            Assert.Contains("urn:elicence:problem:invalid-transition", output, StringComparison.Ordinal);
            Assert.Contains("urn:elicence:problem:four-eyes-required", output, StringComparison.Ordinal); // the direct revocation points to the proposals
            Assert.Contains("\"state\":\"approved\"", output, StringComparison.Ordinal); // the supervisor's approval
            Assert.Contains("%PDF-", lines);
            Assert.Contains("<strong>Valid</strong>", lines);
            Assert.Contains(lines, l => l.StartsWith("<strong>Genuine: byte for byte", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("{\"header\":{\"alg\":\"EdDSA\"", StringComparison.Ordinal) && l.Contains("\"typ\":\"receipt+jwt\"", StringComparison.Ordinal));
            Assert.Contains("\"summary\":{\"total\":3,\"valid\":2,\"invalid\":0,\"problem\":1}", output, StringComparison.Ordinal); // the bid opening
            Assert.Contains(lines, l => l.StartsWith("{\"header\":{\"alg\":\"EdDSA\"", StringComparison.Ordinal) && l.Contains("\"typ\":\"batch-receipt+jwt\"", StringComparison.Ordinal));
            Assert.Contains("\"reasonCode\":\"deregistration-objection-sustained\"", output, StringComparison.Ordinal); // the registrar upheld the objection
            Assert.Contains(lines, l => l.StartsWith("verified licence.suspended", StringComparison.Ordinal) && l.EndsWith("sequence 3", StringComparison.Ordinal)); // the signed notification
            Assert.Contains(lines, l => l.StartsWith("verified licence.reinstated", StringComparison.Ordinal) && l.EndsWith("sequence 4", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.StartsWith("REJECTED", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains("}{", StringComparison.Ordinal)); // every printed answer ends its line
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [GeneratedRegex("```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    [Fact]
    public async Task A_registrar_issues_a_licence_a_holder_downloads_it_and_a_bank_verifies_it_with_a_receipt()
    {
        // The registrar submits; the answer is 202 with a status URL.
        var (submitted, accepted, response) = await service.SendAsync(HttpMethod.Post, "/api/v1/applications", service.RegistrarKey, Applications.Valid());
        Assert.Equal(HttpStatusCode.Accepted, submitted);
        var applicationId = accepted.GetProperty("id").GetString()!;
        Assert.Equal($"/api/v1/applications/{applicationId}", response.Headers.Location?.ToString());

        // The queue trigger issues it.
        var settled = await service.WaitUntilSettledAsync(applicationId);
        Assert.Equal("issued", settled.GetProperty("status").GetString());
        var code = settled.GetProperty("creditCode").GetString()!;
        Assert.Matches("^91653001MA[0-9A-Z]{8}$", code);

        // The registrar creates the holder's key; the holder reads its licence and downloads its credential.
        var holderKey = await service.CreateHolderKeyAsync(code);
        var (licenceStatus, licence, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}", holderKey);
        Assert.Equal(HttpStatusCode.OK, licenceStatus);
        Assert.Equal("阿图什市天山果业有限公司", licence.GetProperty("name").GetString());
        Assert.Equal("Atushi Tianshan Fruit Co., Ltd.", licence.GetProperty("english").GetProperty("name").GetString());
        Assert.Equal("active", licence.GetProperty("status").GetString());
        Assert.Equal(1, licence.GetProperty("version").GetInt32());

        using var credentialRequest = service.Request(HttpMethod.Get, $"/api/v1/licences/{code}/credential", holderKey);
        var credentialResponse = await service.Http.SendAsync(credentialRequest);
        Assert.Equal("application/vc+jwt", credentialResponse.Content.Headers.ContentType?.MediaType);
        var credential = await credentialResponse.Content.ReadAsStringAsync();

        // A bank verifies the credential and gets a signed receipt.
        var (verifyStatus, verification, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey,
            new { credential, purpose = "account-opening" });
        Assert.Equal(HttpStatusCode.OK, verifyStatus);
        Assert.True(verification.GetProperty("valid").GetBoolean());
        Assert.Equal("verified", verification.GetProperty("reasons")[0].GetProperty("code").GetString());
        Assert.Equal(code, verification.GetProperty("licence").GetProperty("creditCode").GetString());
        var receiptId = verification.GetProperty("receipt").GetProperty("id").GetString()!;
        var receiptJws = verification.GetProperty("receipt").GetProperty("jws").GetString()!;

        // Later, for an audit, the bank fetches the stored receipt: the same signed token.
        var (receiptStatus, stored, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/receipts/{receiptId}", service.VerifierKey);
        Assert.Equal(HttpStatusCode.OK, receiptStatus);
        Assert.Equal(receiptJws, stored.GetProperty("receipt").GetString());
        Assert.Equal(service.VerifierId, stored.GetProperty("claims").GetProperty("verifier").GetProperty("id").GetString());
        Assert.Equal("bank", stored.GetProperty("claims").GetProperty("verifier").GetProperty("kind").GetString());

        // Anyone can check both tokens with a standard JOSE library and the published JWKS alone.
        var jwks = await service.Http.GetStringAsync("/.well-known/jwks.json");
        var credentialCheck = await JoseTool.VerifyAsync(jwks, credential, "vc+jwt");
        Assert.True(credentialCheck.Verified, credentialCheck.Error);
        Assert.Equal(code, credentialCheck.Result!.Value.GetProperty("payload").GetProperty("credentialSubject").GetProperty("creditCode").GetString());
        var receiptCheck = await JoseTool.VerifyAsync(jwks, receiptJws, "receipt+jwt");
        Assert.True(receiptCheck.Verified, receiptCheck.Error);
        Assert.Equal(receiptId, receiptCheck.Result!.Value.GetProperty("payload").GetProperty("jti").GetString());
        Assert.True(receiptCheck.Result!.Value.GetProperty("payload").GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task A_bank_can_verify_by_credit_code_alone()
    {
        var code = await service.IssueAsync();

        var (status, body, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { creditCode = code.ToLowerInvariant(), purpose = "tender:2026-0042" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetProperty("valid").GetBoolean());
        Assert.Equal(code, body.GetProperty("licence").GetProperty("creditCode").GetString());
    }

    [Fact]
    public async Task A_tampered_credential_is_reported_invalid_with_a_receipt_and_fails_an_independent_check_too()
    {
        var code = await service.IssueAsync();
        var (_, _, credentialResponse) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/credential", service.RegistrarKey);
        var credential = await credentialResponse.Content.ReadAsStringAsync();
        var parts = credential.Split('.');
        var payload = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]))
            .Replace("阿图什市天山果业有限公司", "阿图什市天山金融有限公司", StringComparison.Ordinal);
        var forged = parts[0] + "." + System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(payload)) + "." + parts[2];

        var (status, body, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { credential = forged });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body.GetProperty("valid").GetBoolean());
        Assert.Equal("bad-signature", body.GetProperty("reasons")[0].GetProperty("code").GetString());
        Assert.StartsWith("rcpt_", body.GetProperty("receipt").GetProperty("id").GetString(), StringComparison.Ordinal);
        var independent = await JoseTool.VerifyAsync(await service.Http.GetStringAsync("/.well-known/jwks.json"), forged, "vc+jwt");
        Assert.False(independent.Verified);
    }

    [Fact]
    public async Task A_credential_signed_by_a_key_the_service_does_not_have_is_an_unknown_key()
    {
        var key = ELicence.Core.Keys.SigningKey.Create(DateTimeOffset.UtcNow);
        var token = ELicence.Core.Keys.KeyJws.Sign(key, "vc+jwt", "{}"u8);

        var (_, body, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { credential = token });

        Assert.False(body.GetProperty("valid").GetBoolean());
        Assert.Equal("unknown-key", body.GetProperty("reasons")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_JWKS_is_public_cacheable_and_lists_Ed25519_keys()
    {
        var response = await service.Http.GetAsync("/.well-known/jwks.json");
        var jwks = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("max-age", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var key = jwks.GetProperty("keys")[0];
        Assert.Equal("OKP", key.GetProperty("kty").GetString());
        Assert.Equal("Ed25519", key.GetProperty("crv").GetString());
        Assert.False(key.TryGetProperty("d", out _));
    }
}
