using ELicence.Core.Credentials;

namespace ELicence.IntegrationTests;

/// <summary>The licence credential is VC 2.0 JSON-LD whose every term is defined: by the VC 2.0 context or by the service's own.</summary>
[Collection(ServiceCollection.Name)]
public class CredentialContextTests(ServiceFixture service)
{
    private static readonly IssuerOptions Issuer = new(); // the fixture runs with the default issuer id

    [Fact]
    public async Task The_context_is_served_to_anyone_as_JSON_LD_and_cacheable_for_long()
    {
        var response = await service.Http.GetAsync("/" + LicenceContext.Route);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/ld+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.MaxAge >= TimeSpan.FromDays(365));
        var context = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("@context");
        Assert.True(context.GetProperty("@protected").GetBoolean());
        Assert.Equal(LicenceContext.Url(Issuer) + "#creditCode", context.GetProperty("creditCode").GetProperty("@id").GetString());
        Assert.Equal("http://www.w3.org/2001/XMLSchema#date", context.GetProperty("establishedOn").GetProperty("@type").GetString());
    }

    [Fact]
    public async Task Every_term_of_an_issued_credential_is_defined_by_its_contexts_when_expanded_as_JSON_LD()
    {
        var (credential, contextFile) = await IssuedCredentialAndContextAsync();
        try
        {
            var (exit, output, error) = await ExternalProcess.RunScriptAsync("check-jsonld.mjs", credential, contextFile, LicenceContext.Url(Issuer));

            Assert.True(exit == 0, error);
            var properties = JsonDocument.Parse(output).RootElement.GetProperty("properties").EnumerateArray().Select(p => p.GetString()).ToList();
            Assert.Contains(LicenceContext.Url(Issuer) + "#creditCode", properties);
            Assert.Contains(LicenceContext.Url(Issuer) + "#amount", properties);
            Assert.Contains("https://schema.org/name", properties);
            Assert.Contains("https://www.w3.org/2018/credentials#credentialSubject", properties);
        }
        finally
        {
            File.Delete(credential);
            File.Delete(contextFile);
        }
    }

    [Fact]
    public async Task The_JSON_LD_check_fails_on_a_term_that_no_context_defines()
    {
        var (credential, contextFile) = await IssuedCredentialAndContextAsync();
        try
        {
            var token = await File.ReadAllTextAsync(credential);
            var payload = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[1])).RootElement;
            var tampered = JsonSerializer.Serialize(payload).Replace("\"creditCode\"", "\"uscc\":\"x\",\"creditCode\"", StringComparison.Ordinal);
            await File.WriteAllTextAsync(credential, tampered);

            var (exit, _, error) = await ExternalProcess.RunScriptAsync("check-jsonld.mjs", credential, contextFile, LicenceContext.Url(Issuer));

            Assert.Equal(1, exit);
            Assert.Contains("uscc", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(credential);
            File.Delete(contextFile);
        }
    }

    [Fact]
    public async Task The_credential_names_its_subject_by_credit_code_and_gives_texts_as_language_value_objects()
    {
        var code = await service.IssueAsync();
        var payload = await PayloadAsync(code);

        Assert.Equal(["https://www.w3.org/ns/credentials/v2", LicenceContext.Url(Issuer)], payload.GetProperty("@context").EnumerateArray().Select(c => c.GetString()));
        var subject = payload.GetProperty("credentialSubject");
        Assert.Equal($"{Issuer.Id}/id/business/{code}", subject.GetProperty("id").GetString());
        Assert.Equal(code, subject.GetProperty("creditCode").GetString());
        Assert.Equal(1, subject.GetProperty("licenceVersion").GetInt32());
        Assert.False(subject.TryGetProperty("english", out _));
        Assert.Equal(
            [("阿图什市天山果业有限公司", "zh-CN"), ("Atushi Tianshan Fruit Co., Ltd.", "en")],
            subject.GetProperty("name").EnumerateArray().Select(v => (v.GetProperty("@value").GetString(), v.GetProperty("@language").GetString())));
        Assert.Equal([("新疆克孜勒苏柯尔克孜自治州阿图什市帕米尔路 8 号", "zh-CN")], // no English domicile was given
            subject.GetProperty("domicile").EnumerateArray().Select(v => (v.GetProperty("@value").GetString(), v.GetProperty("@language").GetString())));
        Assert.Equal("Atushi City Administration for Market Regulation",
            payload.GetProperty("issuer").GetProperty("name").EnumerateArray().Single(v => v.GetProperty("@language").GetString() == "en").GetProperty("@value").GetString());
    }

    [Fact]
    public async Task The_first_history_event_names_its_actor_and_has_no_status_before()
    {
        var code = await service.IssueAsync();

        var (_, history, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/history", service.RegistrarKey);

        var issued = history.GetProperty("events")[0];
        Assert.Equal("issued", issued.GetProperty("type").GetString());
        Assert.Equal("key:" + service.RegistrarKey.Split('_')[1], issued.GetProperty("actorId").GetString()); // the key that acted, not the bureau
        Assert.Equal("Test registrar", issued.GetProperty("actorName").GetString()); // the registrar who submitted, as later events name theirs
        Assert.False(issued.TryGetProperty("statusBefore", out _));
        Assert.Equal("active", issued.GetProperty("statusAfter").GetString());
    }

    private async Task<JsonElement> PayloadAsync(string code)
    {
        var (_, _, response) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/credential", service.RegistrarKey);
        var token = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[1])).RootElement.Clone();
    }

    private async Task<(string CredentialFile, string ContextFile)> IssuedCredentialAndContextAsync()
    {
        var code = await service.IssueAsync();
        var (_, _, response) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/credential", service.RegistrarKey);
        var credential = Path.GetTempFileName();
        await File.WriteAllTextAsync(credential, await response.Content.ReadAsStringAsync());
        var context = Path.GetTempFileName();
        await File.WriteAllTextAsync(context, await service.Http.GetStringAsync("/" + LicenceContext.Route));
        return (credential, context);
    }
}

/// <summary>Credentials signed before the language value objects still read (their bytes are what verification compares).</summary>
public class CredentialFormatTests
{
    [Fact]
    public void A_credential_payload_with_plain_strings_and_an_english_object_still_reads()
    {
        var earlier = """
            {"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:1","type":["VerifiableCredential","BusinessLicenceCredential"],
             "issuer":{"id":"http://localhost:7071","name":"阿图什市市场监督管理局","nameEn":"Atushi City Administration for Market Regulation"},
             "validFrom":"2026-11-02T17:30:12+00:00",
             "credentialSubject":{"creditCode":"91653001MA0000015P","licenceVersion":2,"name":"阿图什市天山果业有限公司","entityType":"limited-liability-company",
               "entityTypeName":"有限责任公司","domicile":"阿图什市","legalRepresentative":"艾力·买买提","registeredCapital":{"amount":1000000,"currency":"CNY"},
               "establishedOn":"2026-11-02","operatingTerm":{"from":"2026-11-02","to":null},"businessScope":"水果种植","registrationAuthority":"阿图什市市场监督管理局",
               "issuedOn":"2026-11-03","english":{"name":"Atushi Tianshan Fruit Co., Ltd."}}}
            """;

        var payload = LicenceCredential.TryReadPayload(System.Text.Encoding.UTF8.GetBytes(earlier));

        Assert.NotNull(payload);
        Assert.Equal("91653001MA0000015P", payload.CredentialSubject.CreditCode);
        Assert.Equal(2, payload.CredentialSubject.LicenceVersion);
        Assert.Equal("阿图什市天山果业有限公司", payload.CredentialSubject.Name.Chinese);
        Assert.Equal("http://localhost:7071", payload.Issuer.Id);
    }
}
