namespace ELicence.IntegrationTests;

/// <summary>Every endpoint admits only its roles, and a holder sees only its own licence.</summary>
[Collection(ServiceCollection.Name)]
public class AccessTests(ServiceFixture service)
{
    [Theory]
    [InlineData("POST", "/api/v1/applications")]
    [InlineData("GET", "/api/v1/applications/app_01a22433fdec70589e49bc6e03fae180")]
    [InlineData("GET", "/api/v1/licences/91653001MA0000015P")]
    [InlineData("GET", "/api/v1/licences/91653001MA0000015P/credential")]
    [InlineData("POST", "/api/v1/licences/91653001MA0000015P/holder-keys")]
    [InlineData("POST", "/api/v1/verifications")]
    [InlineData("GET", "/api/v1/receipts/rcpt_01a2243405ac71e199fd45b4a24fb6fe")]
    public async Task Without_a_valid_key_every_API_endpoint_answers_401_problem(string method, string path)
    {
        foreach (var key in new[] { null, "elk_0000000000000000_nonsense", "not-a-key" })
        {
            var (status, body, response) = await service.SendAsync(new HttpMethod(method), path, key);

            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("urn:elicence:problem:unauthenticated", body.GetProperty("type").GetString());
            Assert.NotEmpty(response.Headers.WwwAuthenticate);
        }
    }

    [Theory]
    [InlineData("elk_abcd/efghijklmno_x")]
    [InlineData("elk_abcd/efghijklmno_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-AbCdEf")]
    [InlineData("elk_0123456789abcd'e_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-AbCdEf")]
    [InlineData("elk_0123456789abcde#_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-AbCdEf")]
    [InlineData("elk_..%2F..%2Fxxxxxx_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-AbCdEf")]
    [InlineData("elk_0123456789abcdef_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-AbCd/f")]
    public async Task A_forged_key_answers_401_problem_and_never_500(string forged)
    {
        foreach (var (method, path) in new[] { ("POST", "/api/v1/verifications"), ("GET", "/api/v1/licences/91653001MA0000015P"), ("GET", "/api/v1/receipts/rcpt_01a2243405ac71e199fd45b4a24fb6fe") })
        {
            var (status, body, response) = await service.SendAsync(new HttpMethod(method), path, forged, method == "POST" ? new { creditCode = "91653001MA0000015P" } : null);

            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("urn:elicence:problem:unauthenticated", body.GetProperty("type").GetString());
            Assert.DoesNotContain("   at ", body.ToString(), StringComparison.Ordinal); // no stack trace
        }
    }

    [Fact]
    public async Task A_verifier_cannot_submit_applications_read_licences_or_make_holder_keys()
    {
        var code = await service.IssueAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Post, "/api/v1/applications", service.VerifierKey, Applications.Valid())).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}", service.VerifierKey)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/credential", service.VerifierKey)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Post, $"/api/v1/licences/{code}/holder-keys", service.VerifierKey)).Status);
    }

    [Fact]
    public async Task A_holder_reads_its_own_licence_but_not_another_holders()
    {
        var mine = await service.IssueAsync(Applications.Valid("阿图什市甲商店"));
        var theirs = await service.IssueAsync(Applications.Valid("阿图什市乙商店"));
        var holderKey = await service.CreateHolderKeyAsync(mine);

        Assert.Equal(HttpStatusCode.OK, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{mine}", holderKey)).Status);
        Assert.Equal(HttpStatusCode.OK, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{mine}/credential", holderKey)).Status);
        var (status, problem, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{theirs}", holderKey);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("urn:elicence:problem:forbidden", problem.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{theirs}/credential", holderKey)).Status);
    }

    [Fact]
    public async Task A_holder_cannot_verify_submit_or_read_receipts()
    {
        var code = await service.IssueAsync();
        var holderKey = await service.CreateHolderKeyAsync(code);

        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", holderKey, new { creditCode = code })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Post, "/api/v1/applications", holderKey, Applications.Valid())).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.SendAsync(HttpMethod.Get, "/api/v1/receipts/rcpt_01a2243405ac71e199fd45b4a24fb6fe", holderKey)).Status);
    }

    [Fact]
    public async Task A_receipt_is_seen_by_the_verifier_that_owns_it_and_the_registrar_only()
    {
        var code = await service.IssueAsync();
        var (_, verification, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { creditCode = code });
        var receiptId = verification.GetProperty("receipt").GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.OK, (await service.SendAsync(HttpMethod.Get, $"/api/v1/receipts/{receiptId}", service.VerifierKey)).Status);
        Assert.Equal(HttpStatusCode.OK, (await service.SendAsync(HttpMethod.Get, $"/api/v1/receipts/{receiptId}", service.RegistrarKey)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await service.SendAsync(HttpMethod.Get, $"/api/v1/receipts/{receiptId}", service.OtherVerifierKey)).Status);
    }
}
