using System.Net;
using System.Security.Cryptography;
using UglyToad.PdfPig;

namespace ELicence.IntegrationTests.Documents;

/// <summary>The QR code and the PDF a business downloads, read back with independent libraries (ZXing.Net, PdfPig).</summary>
[Collection(ServiceCollection.Name)]
public class DocumentTests(ServiceFixture service)
{
    [Fact]
    public async Task The_qr_png_encodes_the_verification_link_of_the_current_version_at_level_M_or_higher()
    {
        var (code, holder) = await IssueWithHolderAsync();
        var credential = await CredentialAsync(code, holder);

        using var response = await GetAsync($"/api/v1/licences/{code}/qr", holder);
        var png = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var scan = Scans.Png(png);
        Assert.Equal($"http://localhost:7071/verify/{code}?v=1&d={ShortDigest(credential)}", scan.Text);
        Assert.Contains(scan.ErrorCorrectionLevel, new[] { "M", "Q", "H" });
    }

    [Fact]
    public async Task The_qr_is_svg_on_request_and_other_formats_are_a_validation_problem()
    {
        var (code, holder) = await IssueWithHolderAsync();

        using var svg = await GetAsync($"/api/v1/licences/{code}/qr?format=svg", holder);
        using var gif = await GetAsync($"/api/v1/licences/{code}/qr?format=gif", holder);

        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<svg", await svg.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, gif.StatusCode);
        Assert.Equal("application/problem+json", gif.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_pdf_prints_every_field_in_Chinese_and_English_embeds_the_credential_and_a_scannable_qr()
    {
        var (code, holder) = await IssueWithHolderAsync();
        var credential = await CredentialAsync(code, holder);

        using var response = await GetAsync($"/api/v1/licences/{code}/pdf", holder);
        var pdf = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.True(pdf.Length < 500 * 1024, $"The PDF has {pdf.Length} bytes.");
        using var document = PdfDocument.Open(pdf);
        var pages = document.GetPages().ToList();
        Assert.Equal(2, pages.Count);
        var chinese = Text(pages[0]);
        foreach (var expected in new[] { "营业执照", "统一社会信用代码", code, "阿图什市天山果业有限公司", "有限责任公司", "法定代表人", "艾力·买买提", "注册资本", "人民币 1,000,000 元",
                     "成立日期", "2026年11月2日", "营业期限", "长期", "住所", "帕米尔路", "经营范围", "水果种植", "登记机关", "阿图什市市场监督管理局", "发证日期", "第 1 版",
                     $"http://localhost:7071/verify/{code}", Sha256Hex(credential) })
        {
            Assert.Contains(NoSpaces(expected), chinese, StringComparison.Ordinal);
        }

        var english = Text(pages[1]);
        foreach (var expected in new[] { "Business Licence", "Unified social credit code", code, "Atushi Tianshan Fruit Co., Ltd.", "Limited liability company", "Registered capital", "1,000,000 CNY",
                     "Established on", "2 November 2026", "open-ended", "Registration authority", "Atushi City Administration for Market Regulation", "Licence version", "How to verify", Sha256Hex(credential) })
        {
            Assert.Contains(NoSpaces(expected), english, StringComparison.Ordinal);
        }

        // Embedded as a subset ("ABCDEF+Name"): the reader needs no font of its own, and the file stays small.
        Assert.All(pages.SelectMany(p => p.Letters).Select(l => l.FontName).Distinct(), name => Assert.Matches("^[A-Z]{6}\\+", name));
        Assert.True(document.Advanced.TryGetEmbeddedFiles(out var files));
        var embedded = Assert.Single(files!, f => f.Name == "licence.vc.jwt");
        Assert.Equal(Encoding.ASCII.GetBytes(credential), embedded.Bytes.ToArray());

        var image = Assert.Single(pages[0].GetImages());
        Assert.True(image.TryGetPng(out var qrPng), "The QR image in the PDF converts to PNG.");
        Assert.Equal($"http://localhost:7071/verify/{code}?v=1&d={ShortDigest(credential)}", Scans.Png(qrPng).Text);
    }

    [Fact]
    public async Task Each_pdf_download_is_recorded_in_the_history_without_changing_the_licence()
    {
        var (code, holder) = await IssueWithHolderAsync();
        var (_, before, beforeResponse) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}", service.RegistrarKey);

        (await GetAsync($"/api/v1/licences/{code}/pdf", holder)).Dispose();
        (await GetAsync($"/api/v1/licences/{code}/pdf", service.RegistrarKey)).Dispose();

        var (_, history, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/history", holder);
        var downloads = history.GetProperty("downloads").EnumerateArray().ToList();
        Assert.Equal(["holder", "registrar"], downloads.Select(d => d.GetProperty("callerRole").GetString()));
        Assert.All(downloads, d => Assert.Equal("pdf", d.GetProperty("document").GetString()));
        Assert.All(downloads, d => Assert.Equal(1, d.GetProperty("version").GetInt32()));
        Assert.Equal(["issued"], history.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        var (_, _, afterResponse) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}", service.RegistrarKey);
        Assert.Equal(beforeResponse.Headers.ETag, afterResponse.Headers.ETag);
    }

    [Fact]
    public async Task Another_holder_gets_neither_the_pdf_nor_the_qr_and_a_verifier_neither()
    {
        var (code, _) = await IssueWithHolderAsync();
        var (_, otherHolder) = await IssueWithHolderAsync();

        using var pdf = await GetAsync($"/api/v1/licences/{code}/pdf", otherHolder);
        using var qr = await GetAsync($"/api/v1/licences/{code}/qr", service.VerifierKey);

        Assert.Equal(HttpStatusCode.Forbidden, pdf.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, qr.StatusCode);
        Assert.Equal("application/problem+json", pdf.Content.Headers.ContentType?.MediaType);
    }

    private async Task<(string Code, string Holder)> IssueWithHolderAsync()
    {
        var code = await service.IssueAsync();
        return (code, await service.CreateHolderKeyAsync(code));
    }

    private Task<string> CredentialAsync(string code, string key) => service.GetTextAsync($"/api/v1/licences/{code}/credential", key);

    private Task<HttpResponseMessage> GetAsync(string path, string key) => service.GetAsync(path, key);

    /// <summary>The page's text as extracted, without white space: layout decides where lines break and spaces fall.</summary>
    private static string Text(UglyToad.PdfPig.Content.Page page) => NoSpaces(string.Concat(page.Letters.Select(l => l.Value)));

    private static string NoSpaces(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    internal static string ShortDigest(string credential) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(credential)))[..16];

    private static string Sha256Hex(string credential) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(credential)));

    private static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
