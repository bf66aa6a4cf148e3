using ELicence.Storage;

namespace ELicence.IntegrationTests.Operations;

/// <summary>
/// Entra ID bearer tokens beside API keys, against a local test issuer: app roles map to the service's roles, the token's
/// client to the verifier organisation linked to it, and every bad token is a 401 or 403 problem.
/// </summary>
[Collection(OperationsCollection.Name)]
public class EntraIdTests(OperationsFixture service)
{
    [Fact]
    public async Task A_Verifier_token_verifies_as_the_organisation_its_client_is_linked_to()
    {
        var code = await service.IssueAsync();
        var client = Guid.NewGuid().ToString("D");
        var bank = await OnboardAsync("Bank with Entra", client);
        var token = service.Issuer.Token(new TokenSpec(client, "Verifier"));

        var (status, verification, _) = await service.SendWithTokenAsync(HttpMethod.Post, "/api/v1/verifications", token, new { creditCode = code, purpose = "account-opening" });
        var receiptId = verification.GetProperty("receipt").GetProperty("id").GetString();
        var (receiptStatus, receipt, _) = await service.SendWithTokenAsync(HttpMethod.Get, $"/api/v1/receipts/{receiptId}", token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, receiptStatus);
        Assert.Equal(bank, receipt.GetProperty("claims").GetProperty("verifier").GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_Registrar_token_acts_as_the_registrar_and_is_refused_where_only_verifiers_go()
    {
        var token = service.Issuer.Token(new TokenSpec(Guid.NewGuid().ToString("D"), "Registrar"));

        var (submitted, _, _) = await service.SendWithTokenAsync(HttpMethod.Post, "/api/v1/applications", token, Applications.Valid());
        var (listed, _, _) = await service.SendWithTokenAsync(HttpMethod.Get, "/api/v1/verifiers", token);
        var (verified, problem, _) = await service.SendWithTokenAsync(HttpMethod.Post, "/api/v1/verifications", token, new { creditCode = "91653001MA77XG3B8K", purpose = "x" });

        Assert.Equal(HttpStatusCode.Accepted, submitted);
        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.Equal(HttpStatusCode.Forbidden, verified);
        Assert.Equal("urn:elicence:problem:forbidden", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_clerk_person_proposes_a_revocation_a_supervisor_person_approves_it_and_the_history_names_both_by_their_subject()
    {
        var code = await service.IssueAsync(Applications.Valid("阿图什市统一身份四眼有限公司"));
        var client = Guid.NewGuid().ToString("D");
        var clerk = service.Issuer.Token(new TokenSpec(client, "clerk") { Person = ("sub-clerk-Wang_01", "王登记员") });
        var otherClerk = service.Issuer.Token(new TokenSpec(client, "clerk") { Person = ("sub-clerk-Li_02", "李登记员") });
        var supervisor = service.Issuer.Token(new TokenSpec(client, "clerk", "supervisor") { Person = ("sub-supervisor-Zhang_03", "张科长") });

        var (proposed, proposal, _) = await service.SendWithTokenAsync(HttpMethod.Post, $"/api/v1/licences/{code}/revocation-proposals", clerk, new { reason = "提交虚假材料取得登记" });
        var id = proposal.GetProperty("id").GetString();
        var (byClerk, _, _) = await service.SendWithTokenAsync(HttpMethod.Post, $"/api/v1/proposals/{id}/approval", otherClerk);
        var (approved, _, _) = await service.SendWithTokenAsync(HttpMethod.Post, $"/api/v1/proposals/{id}/approval", supervisor);
        var (_, history, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/history", service.RegistrarKey);

        Assert.Equal(HttpStatusCode.Created, proposed);
        Assert.Equal(("oidc:sub-clerk-Wang_01", "王登记员", "person"), (proposal.GetProperty("proposedBy").GetProperty("id").GetString(), proposal.GetProperty("proposedBy").GetProperty("name").GetString(), proposal.GetProperty("proposedBy").GetProperty("kind").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, byClerk);
        Assert.Equal(HttpStatusCode.OK, approved);
        var revoked = history.GetProperty("events").EnumerateArray().Last();
        Assert.Equal(("oidc:sub-supervisor-Zhang_03", "张科长", "person"), (revoked.GetProperty("actorId").GetString(), revoked.GetProperty("actorName").GetString(), revoked.GetProperty("actorKind").GetString()));
        Assert.Equal("oidc:sub-clerk-Wang_01", revoked.GetProperty("approval").GetProperty("proposedBy").GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_registrar_token_without_a_signed_in_person_acts_as_its_application()
    {
        var client = Guid.NewGuid().ToString("D");
        var token = service.Issuer.Token(new TokenSpec(client, "clerk"));

        var (submitted, application, _) = await service.SendWithTokenAsync(HttpMethod.Post, "/api/v1/applications", token, Applications.Valid("阿图什市应用身份有限公司"));
        var code = (await service.WaitUntilSettledAsync(application.GetProperty("id").GetString()!)).GetProperty("creditCode").GetString();
        var (_, history, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/history", service.RegistrarKey);

        Assert.Equal(HttpStatusCode.Accepted, submitted);
        var issued = history.GetProperty("events")[0];
        Assert.Equal(("app:" + client, "application"), (issued.GetProperty("actorId").GetString(), issued.GetProperty("actorKind").GetString()));
    }

    public static TheoryData<string, HttpStatusCode, string> RefusedTokens => new()
    {
        { "wrong audience", HttpStatusCode.Unauthorized, "aud" },
        { "wrong issuer", HttpStatusCode.Unauthorized, "iss" },
        { "expired", HttpStatusCode.Unauthorized, "expired" },
        { "not yet valid", HttpStatusCode.Unauthorized, "not valid yet" },
        { "alg none", HttpStatusCode.Unauthorized, "signature" },
        { "signed by another key", HttpStatusCode.Unauthorized, "signature" },
        { "missing role", HttpStatusCode.Forbidden, "none of this API's app roles" },
        { "unknown role only", HttpStatusCode.Forbidden, "none of this API's app roles" },
        { "two roles", HttpStatusCode.Forbidden, "more than one" },
        { "unknown client", HttpStatusCode.Forbidden, "not linked to a verifier organisation" },
    };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task A_bad_token_is_refused_with_a_problem_and_nothing_is_verified(string kind, HttpStatusCode expected, string reason)
    {
        var code = await service.IssueAsync();
        var client = Guid.NewGuid().ToString("D");
        await OnboardAsync($"Bank for {kind}", client);
        var valid = new TokenSpec(client, "Verifier");
        var token = kind switch
        {
            "wrong audience" => service.Issuer.Token(valid with { Audience = "api://another-api" }),
            "wrong issuer" => service.Issuer.Token(valid with { Issuer = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0" }),
            "expired" => service.Issuer.Token(valid with { Shift = TimeSpan.FromHours(-3) }),
            "not yet valid" => service.Issuer.Token(valid with { Shift = TimeSpan.FromHours(3) }),
            "alg none" => service.Issuer.UnsignedToken(valid),
            "signed by another key" => service.Issuer.Token(valid with { SignedByStranger = true }),
            "missing role" => service.Issuer.Token(new TokenSpec(client)),
            "unknown role only" => service.Issuer.Token(new TokenSpec(client, "Administrator", "verifier")),
            "two roles" => service.Issuer.Token(new TokenSpec(client, "Verifier", "Registrar")),
            "unknown client" => service.Issuer.Token(new TokenSpec(Guid.NewGuid().ToString("D"), "Verifier")),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var before = await service.SnapshotAsync();

        var (status, problem, response) = await service.SendWithTokenAsync(HttpMethod.Post, "/api/v1/verifications", token, new { creditCode = code, purpose = "account-opening" });

        Assert.Equal(expected, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected == HttpStatusCode.Unauthorized ? "urn:elicence:problem:unauthenticated" : "urn:elicence:problem:forbidden", problem.GetProperty("type").GetString());
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await service.SnapshotAsync()); // no receipt blob: it is written before any answer
        Assert.Empty(await service.QueryAsync(StorageNames.ReceiptJournalTable, $"CreditCode eq '{code}'"));
        Assert.Empty(await service.QueryAsync(StorageNames.LicenceUsageTable, $"PartitionKey eq '{code}' and ReceiptId ne ''"));
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer ")]
    [InlineData("Bearer not.a.jwt")]
    [InlineData("Bearer eyJhbGciOiJSUzI1NiJ9")]
    public async Task A_malformed_Authorization_header_is_401(string header)
    {
        using var request = service.Request(HttpMethod.Get, "/api/v1/verifiers", apiKey: null);
        request.Headers.TryAddWithoutValidation("Authorization", header);

        var response = await service.Http.SendAsync(request);
        var problem = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("urn:elicence:problem:unauthenticated", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_API_key_and_a_token_together_are_refused_so_it_is_never_unclear_who_acted()
    {
        using var request = service.Request(HttpMethod.Get, "/api/v1/verifiers", service.RegistrarKey);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + service.Issuer.Token(new TokenSpec(Guid.NewGuid().ToString("D"), "Registrar")));

        var response = await service.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task API_keys_keep_working_beside_tokens() =>
        Assert.Equal(HttpStatusCode.OK, (await service.SendAsync(HttpMethod.Get, "/api/v1/verifiers", service.RegistrarKey)).Status);

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("{6b1a2c3d-0000-4000-8000-000000000000}")]
    [InlineData("")]
    public async Task Onboarding_with_a_malformed_client_id_is_400_naming_the_field(string clientId)
    {
        var (status, problem, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifiers", service.RegistrarKey, new { name = "Bank X", kind = "bank", entraClientId = clientId });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("entraClientId", problem.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_client_id_already_linked_to_one_organisation_cannot_be_linked_to_another()
    {
        var client = Guid.NewGuid().ToString("D");
        var first = await OnboardAsync("First bank", client);

        var (status, problem, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifiers", service.RegistrarKey, new { name = "Second bank", kind = "bank", entraClientId = client.ToUpperInvariant() });
        var (_, listed, _) = await service.SendAsync(HttpMethod.Get, "/api/v1/verifiers", service.RegistrarKey);

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains(first, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(listed.GetProperty("verifiers").EnumerateArray(), v => v.GetProperty("name").GetString() == "Second bank");
    }

    private async Task<string> OnboardAsync(string name, string clientId)
    {
        var (status, body, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifiers", service.RegistrarKey, new { name, kind = "bank", entraClientId = clientId });
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(clientId, body.GetProperty("entraClientId").GetString());
        return body.GetProperty("id").GetString()!;
    }
}

/// <summary>Where Entra ID is not configured, a bearer token authenticates nobody.</summary>
[Collection(ServiceCollection.Name)]
public class EntraIdDisabledTests(ServiceFixture service)
{
    [Fact]
    public async Task Without_Entra_ID_settings_a_bearer_token_is_401_saying_so()
    {
        using var request = service.Request(HttpMethod.Get, "/api/v1/verifiers", apiKey: null);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln");

        var response = await service.Http.SendAsync(request);
        var problem = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("does not accept bearer tokens", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
