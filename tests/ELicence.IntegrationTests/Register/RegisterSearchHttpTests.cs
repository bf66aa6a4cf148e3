using System.Globalization;
using ELicence.Core.CreditCodes;
using ELicence.Core.Licences;
using ELicence.Core.Register;
using ELicence.Storage;
using ELicence.Storage.Register;

namespace ELicence.IntegrationTests.Register;

/// <summary>A clerk searching the public register over HTTP, against Azurite, as a verifier and anonymously.</summary>
[Collection(RegisterCollection.Name)]
public class RegisterSearchHttpTests(RegisterFixture service)
{
    private static string Unique() => string.Concat(Guid.NewGuid().ToString("N")[..6].Select(c => (char)('甲' + (c % 10))));

    [Fact]
    public async Task A_clerk_finds_a_business_by_part_of_its_Chinese_name_and_the_public_page_too()
    {
        var mark = Unique();
        var code = await service.IssueAsync(Applications.Valid($"阿图什市{mark}ABC天山果业有限公司"));
        await service.DeliverAsync(code);

        var (status, body, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/register/search?q={Uri.EscapeDataString(mark + "ABC天山果业")}", service.VerifierKey);
        Assert.Equal(HttpStatusCode.OK, status);
        var hit = Assert.Single(body.GetProperty("results").EnumerateArray());
        Assert.Equal(code, hit.GetProperty("creditCode").GetString());
        Assert.Equal("name", hit.GetProperty("match").GetString());
        Assert.DoesNotContain("registeredCapital", body.GetRawText(), StringComparison.Ordinal);

        var (publicStatus, publicBody, response) = await service.SendAsync(HttpMethod.Get, $"/api/v1/register/public-search?q={Uri.EscapeDataString(mark + "ａｂＣ天山")}", null);
        Assert.Equal(HttpStatusCode.OK, publicStatus);
        Assert.Equal(code, Assert.Single(publicBody.GetProperty("results").EnumerateArray()).GetProperty("creditCode").GetString());
        Assert.StartsWith("\"register-search\"", response.Headers.GetValues("RateLimit-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_public_page_search_box_lists_hits_linking_to_their_check_pages_as_html_without_script()
    {
        var mark = Unique();
        var code = await service.IssueAsync(Applications.Valid($"阿图什市{mark}天山果业有限公司"));
        await service.DeliverAsync(code);

        var start = await service.Http.GetStringAsync(new Uri("/verify", UriKind.Relative));
        Assert.Contains("<form method=\"get\" action=\"/verify\" role=\"search\">", start, StringComparison.Ordinal);

        using var response = await service.Http.GetAsync(new Uri($"/verify?q={Uri.EscapeDataString(mark + "天山")}", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"<a href=\"/verify/{code}?lang=zh\">", html, StringComparison.Ordinal);
        Assert.Contains($"阿图什市{mark}天山果业有限公司", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{mark}天山\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.StartsWith("\"register-search\"", response.Headers.GetValues("RateLimit-Policy").Single(), StringComparison.Ordinal);

        using var none = await service.Http.GetAsync(new Uri($"/verify?q={Uri.EscapeDataString(Unique() + "无此企业")}&lang=en", UriKind.Relative));
        var empty = await none.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, none.StatusCode);
        Assert.Contains("No business in the register matches", empty, StringComparison.Ordinal);
        Assert.DoesNotContain("<li>", empty, StringComparison.Ordinal);

        using var markup = await service.Http.GetAsync(new Uri($"/verify?q={Uri.EscapeDataString("\"><b>天山")}", UriKind.Relative));
        var escaped = await markup.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, markup.StatusCode);
        Assert.Contains("&quot;&gt;&lt;b&gt;天山", escaped, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", escaped, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("q=%E5%A4%A9")]
    [InlineData("q=%3Cb%3E%2A")]
    [InlineData("q=%E5%A4%A9%E5%B1%B1&q=x")]
    public async Task Bad_input_in_the_page_search_box_is_an_html_400_that_echoes_no_markup(string query)
    {
        using var response = await service.Http.GetAsync(new Uri("/verify?lang=en&" + query, UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("id=\"error\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_benchmark_bulk_loader_writes_rows_the_search_finds_over_several_transactions_per_partition_and_reloading_changes_nothing()
    {
        var mark = Unique();
        var body = Random.Shared.Next(7_000_000, 8_000_000);
        var licences = Enumerable.Range(0, 120).Select(i => new IndexedLicence(
            CreditCode.Compose('9', '1', "653001", (body + i).ToString("D8", CultureInfo.InvariantCulture)).Value,
            $"喀什市{mark}商贸有限公司第{i.ToString(CultureInfo.InvariantCulture)}分", null, [], EntityType.LimitedLiabilityCompany, LicenceStatus.Active)).ToList();
        Assert.Equal(120, licences.Select(l => l.CreditCode).Distinct().Count());
        var index = new RegisterIndexStore(service.Services.GetRequiredService<StorageClients>());

        await index.BulkLoadAsync(licences, default);
        var first = await AllHitsAsync(mark + "商贸");
        await index.BulkLoadAsync(licences, default);
        var again = await AllHitsAsync(mark + "商贸");

        Assert.Equal(licences.Select(l => l.CreditCode).Order(StringComparer.Ordinal), first.Order(StringComparer.Ordinal));
        Assert.Equal(first, again);
        Assert.NotNull(await index.FindMarkAsync(CreditCode.FromStored(licences[57].CreditCode), default));
        var byCode = (await service.SendAsync(HttpMethod.Get, $"/api/v1/register/search?q={licences[57].CreditCode}", service.VerifierKey)).Body.GetProperty("results");
        Assert.Equal(licences[57].CreditCode, byCode[0].GetProperty("creditCode").GetString());
    }

    /// <summary>Every page of a search, following the continuation token.</summary>
    private async Task<List<string>> AllHitsAsync(string q)
    {
        var codes = new List<string>();
        string? token = null;
        do
        {
            var (status, page, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/register/search?q={Uri.EscapeDataString(q)}&limit=50" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)), service.VerifierKey);
            Assert.Equal(HttpStatusCode.OK, status);
            codes.AddRange(page.GetProperty("results").EnumerateArray().Select(h => h.GetProperty("creditCode").GetString()!));
            token = page.TryGetProperty("continuationToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (token is not null);
        return codes;
    }

    [Fact]
    public async Task A_former_name_still_finds_the_licence_after_an_amendment_and_the_exact_code_ranks_first()
    {
        var mark = Unique();
        var code = await service.IssueAsync(Applications.Valid($"阿图什市{mark}果业有限公司"));
        await service.ActAsync(code, "amendments", new { name = $"阿图什市{mark}农业集团有限公司", reason = "股东会决议更名" });
        await service.DeliverAsync(code);

        var byFormer = Assert.Single((await service.SendAsync(HttpMethod.Get, $"/api/v1/register/search?q={Uri.EscapeDataString(mark + "果业")}", service.VerifierKey)).Body.GetProperty("results").EnumerateArray());
        Assert.True(byFormer.GetProperty("formerName").GetBoolean());
        Assert.Equal($"阿图什市{mark}农业集团有限公司", byFormer.GetProperty("name").GetString());

        var byCode = (await service.SendAsync(HttpMethod.Get, $"/api/v1/register/search?q={code.ToLowerInvariant()}", service.RegistrarKey)).Body.GetProperty("results");
        Assert.Equal("exact-code", byCode[0].GetProperty("match").GetString());
        Assert.Equal(code, byCode[0].GetProperty("creditCode").GetString());
    }

    [Theory]
    [InlineData("q=%E5%A4%A9", "q")]
    [InlineData("q=%00%00", "q")]
    [InlineData("q=*", "q")]
    [InlineData("q=%25%25%25", "q")]
    [InlineData("q=%E5%A4%A9%E5%B1%B1&limit=51", "limit")]
    [InlineData("q=%E5%A4%A9%E5%B1%B1&status=dormant", "status")]
    [InlineData("q=%E5%A4%A9%E5%B1%B1&q=x", "q")]
    [InlineData("q=%E5%A4%A9%E5%B1%B1&continuationToken=AAAA", "continuationToken")]
    public async Task Bad_search_input_is_a_problem_naming_the_parameter(string query, string field)
    {
        var (status, body, response) = await service.SendAsync(HttpMethod.Get, "/api/v1/register/search?" + query, service.VerifierKey);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, body.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_query_over_one_hundred_characters_is_refused()
    {
        var (status, body, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/register/public-search?q={Uri.EscapeDataString(new string('天', 101))}", null);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("q", body.GetProperty("errors")[0].GetProperty("field").GetString());
    }
}
