using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace ELicence.IntegrationTests.Holders;

/// <summary>Signing with the licence over HTTP: a detached-payload JWS any JOSE library verifies with the JWKS and the document's digest.</summary>
[Collection(ServiceCollection.Name)]
public class SignatureTests(ServiceFixture service)
{
    private static readonly byte[] Document = Encoding.UTF8.GetBytes("阿图什市公共资源交易中心 投标文件 2026-0042");
    private static readonly string DigestHex = Convert.ToHexStringLower(SHA256.HashData(Document));
    private static readonly string DigestB64Url = Convert.ToBase64String(SHA256.HashData(Document)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [Fact]
    public async Task An_agent_with_sign_signs_a_digest_that_jose_verifies_detached_and_a_verifier_checks_with_a_receipt()
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);
        var agent = await HolderKeys.CreateAsync(service, owner, $"/api/v1/licences/{code}/agents", new { name = "签章员张三", scopes = new[] { "sign" }, expiresAt = DateTimeOffset.UtcNow.AddDays(7) });

        var (status, signed, response) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/signatures", agent.Key, new { documentSha256 = DigestB64Url, documentName = "投标文件.pdf", purpose = "tender:2026-0042" });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var signature = signed.GetProperty("signature").GetString()!;
        Assert.Contains("..", signature, StringComparison.Ordinal);
        Assert.Equal(DigestHex, signed.GetProperty("documentSha256").GetString());
        var jwks = await service.Http.GetStringAsync("/.well-known/jwks.json");
        var (verified, result, error) = await JoseTool.VerifyDetachedAsync(jwks, signature, DigestHex, "licence-signature+jws");
        Assert.True(verified, error);
        var header = result!.Value.GetProperty("header");
        Assert.Equal(code, header.GetProperty("sub").GetString());
        Assert.Equal("签章员张三", header.GetProperty("signer").GetProperty("name").GetString());
        Assert.Equal(agent.KeyId, header.GetProperty("signer").GetProperty("keyId").GetString());
        Assert.Equal("active", header.GetProperty("licenceStatus").GetString());
        Assert.False((await JoseTool.VerifyDetachedAsync(jwks, signature, new string('0', 64), "licence-signature+jws")).Verified);

        var (checkStatus, check, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/signatures/verifications", service.VerifierKey, new { signature, documentSha256 = DigestHex, purpose = "tender:2026-0042" });
        Assert.Equal(HttpStatusCode.OK, checkStatus);
        Assert.True(check.GetProperty("valid").GetBoolean());
        Assert.Equal("active", check.GetProperty("signed").GetProperty("licenceStatus").GetString());
        Assert.Equal("active", check.GetProperty("licenceNow").GetProperty("status").GetString());
        var receiptId = check.GetProperty("receipt").GetProperty("id").GetString();
        var claims = (await service.SendAsync(HttpMethod.Get, $"/api/v1/receipts/{receiptId}", service.VerifierKey)).Body.GetProperty("claims");
        Assert.Equal("signature", claims.GetProperty("checked").GetProperty("kind").GetString());

        var (_, usage, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/usage", owner);
        var items = usage.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal("verification", items[0].GetProperty("kind").GetString());
        Assert.Equal("signature", items[1].GetProperty("kind").GetString());
        Assert.Equal("签章员张三", items[1].GetProperty("actorName").GetString());
        Assert.Equal("投标文件.pdf", items[1].GetProperty("document").GetString());
    }

    [Fact]
    public async Task A_signature_checked_against_another_documents_digest_is_invalid_with_a_receipt()
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);
        var (_, signed, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/signatures", owner, new { documentSha256 = DigestHex, documentName = "合同.pdf", purpose = "contract" });

        var (status, check, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/signatures/verifications", service.VerifierKey, new { signature = signed.GetProperty("signature").GetString(), documentSha256 = new string('a', 64) });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(check.GetProperty("valid").GetBoolean());
        Assert.Equal("bad-signature", check.GetProperty("reasons")[0].GetProperty("code").GetString());
        Assert.StartsWith("rcpt_", check.GetProperty("receipt").GetProperty("id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_without_sign_is_refused_with_a_problem_naming_the_scope_and_nothing_is_recorded()
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);
        var agent = await HolderKeys.CreateAsync(service, owner, $"/api/v1/licences/{code}/agents", new { name = "下载员", scopes = new[] { "download", "present" }, expiresAt = DateTimeOffset.UtcNow.AddDays(7) });

        var (status, problem, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/signatures", agent.Key, new { documentSha256 = DigestHex, documentName = "合同.pdf", purpose = "contract" });

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("sign", problem.GetProperty("missingScope").GetString());
        Assert.Equal(0, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/usage", owner)).Body.GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/history", owner)).Body.GetProperty("signatures").GetArrayLength());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg")]
    [InlineData("ASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4mrze8=")]
    [InlineData("ASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4mrze+")]
    [InlineData("ASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4mrzf")]
    [InlineData("")]
    public async Task A_digest_that_is_not_32_bytes_of_hex_or_base64url_is_a_400_naming_it_and_nothing_is_signed(string digest)
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);

        var (status, problem, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/signatures", owner, new { documentSha256 = digest, documentName = "合同.pdf", purpose = "contract" });
        var (checkStatus, checkProblem, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/signatures/verifications", service.VerifierKey, new { signature = "e30..AAAA", documentSha256 = digest });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("documentSha256", problem.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, checkStatus);
        Assert.Equal("documentSha256", checkProblem.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(0, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/usage", owner)).Body.GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/history", owner)).Body.GetProperty("signatures").GetArrayLength());
    }

    [Fact]
    public async Task Each_signature_is_in_the_licences_history_naming_the_person_document_digest_and_purpose_without_changing_the_licence()
    {
        var code = await service.IssueAsync();
        var owner = await service.CreateHolderKeyAsync(code);
        var agent = await HolderKeys.CreateAsync(service, owner, $"/api/v1/licences/{code}/agents", new { name = "签章员李四", scopes = new[] { "sign" }, expiresAt = DateTimeOffset.UtcNow.AddDays(7) });
        var (_, _, before) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}", service.RegistrarKey);

        var (_, first, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/signatures", agent.Key, new { documentSha256 = DigestHex, documentName = "投标文件.pdf", purpose = "tender:2026-0042" });
        var (_, second, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/signatures", owner, new { documentSha256 = new string('a', 64), documentName = "合同.pdf", purpose = "contract" });
        await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/signatures", owner, new { documentSha256 = "not-a-digest", documentName = "x.pdf", purpose = "contract" });

        var (_, history, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/history", service.RegistrarKey);
        var signatures = history.GetProperty("signatures").EnumerateArray().ToList();
        Assert.Equal(2, signatures.Count);
        Assert.Equal(first.GetProperty("id").GetString(), signatures[0].GetProperty("id").GetString());
        Assert.Equal("签章员李四", signatures[0].GetProperty("signedBy").GetString());
        Assert.Equal(agent.KeyId, signatures[0].GetProperty("keyId").GetString());
        Assert.Equal("agent", signatures[0].GetProperty("kind").GetString());
        Assert.Equal("投标文件.pdf", signatures[0].GetProperty("documentName").GetString());
        Assert.Equal(DigestHex, signatures[0].GetProperty("documentSha256").GetString());
        Assert.Equal("tender:2026-0042", signatures[0].GetProperty("purpose").GetString());
        Assert.Equal(1, signatures[0].GetProperty("licenceVersion").GetInt32());
        Assert.Equal("active", signatures[0].GetProperty("licenceStatus").GetString());
        Assert.Equal(second.GetProperty("id").GetString(), signatures[1].GetProperty("id").GetString());
        Assert.Equal("owner", signatures[1].GetProperty("kind").GetString());
        Assert.Equal(["issued"], history.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        var (_, _, after) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}", service.RegistrarKey);
        Assert.Equal(before.Headers.ETag, after.Headers.ETag);
        var other = await service.IssueAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{other}/history", agent.Key)).Status);
    }

    [Theory]
    [InlineData("not-a-jws")]
    [InlineData("a.b.c")]
    [InlineData("a..b..c")]
    public async Task A_signature_that_is_not_a_detached_jws_is_a_400_naming_it(string signature)
    {
        var (status, problem, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/signatures/verifications", service.VerifierKey, new { signature, documentSha256 = DigestHex });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("signature", problem.GetProperty("errors")[0].GetProperty("field").GetString());
    }
}
