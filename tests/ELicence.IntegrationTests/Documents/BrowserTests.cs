using System.Text.Json;

namespace ELicence.IntegrationTests.Documents;

/// <summary>
/// The public page in a real headless Chromium (npm: @sparticuz/chromium + puppeteer-core, via tests/tools/browse-verification-page.mjs),
/// with JavaScript off: visible text of each state in both languages, a PDF uploaded through the form, axe-core with no
/// violation, no CSP violation. Screenshots are kept in TestResults/browser/.
/// </summary>
[Collection(ServiceCollection.Name)]
public class BrowserTests(ServiceFixture service)
{
    [Fact]
    public async Task A_clerk_sees_each_state_in_Chinese_and_English_and_can_upload_a_pdf_in_a_real_browser()
    {
        var active = await service.IssueAsync();
        var suspended = await service.IssueAsync();
        var revoked = await service.IssueAsync();
        var amended = await service.IssueAsync();
        await ActAsync(suspended, "suspension", new { reasonCode = "annual-report-not-filed", reason = "未按期公示年度报告" });
        await ActAsync(revoked, "revocation", new { reason = "提交虚假材料取得登记" });
        var oldDigest = DocumentTests.ShortDigest(await TextAsync($"/api/v1/licences/{amended}/credential"));
        await service.AmendDomicileAsync(amended);

        var work = Directory.CreateTempSubdirectory("elicence-browser");
        try
        {
            var pdf = Path.Combine(work.FullName, "licence.pdf");
            await File.WriteAllBytesAsync(pdf, await BytesAsync($"/api/v1/licences/{active}/pdf"));
            object[] cases =
            [
                Case("active-zh", $"/verify/{active}", "有效", "阿图什市天山果业有限公司", "统一社会信用代码", active),
                Case("active-en", $"/verify/{active}?lang=en", "Valid", "Atushi Tianshan Fruit Co., Ltd.", "Unified social credit code"),
                new { name = "active-en-by-browser-language", path = $"/verify/{active}", acceptLanguage = "en-GB,en;q=0.9", expect = new[] { "Valid", "Business licence check" } },
                Case("suspended-zh", $"/verify/{suspended}", "经营异常", "未按期公示年度报告"),
                Case("suspended-en", $"/verify/{suspended}?lang=en", "Not in good standing", "未按期公示年度报告"),
                Case("revoked-zh", $"/verify/{revoked}", "已吊销", "提交虚假材料取得登记"),
                Case("revoked-en", $"/verify/{revoked}?lang=en", "Revoked", "The licence was revoked on"),
                Case("superseded-copy-zh", $"/verify/{amended}?v=1&d={oldDigest}", "已被第 2 版取代"),
                Case("superseded-copy-en", $"/verify/{amended}?v=1&d={oldDigest}&lang=en", "superseded by version 2"),
                new { name = "upload-pdf-en", path = "/verify?lang=en", upload = pdf, expect = new[] { "Genuine: byte for byte the credential this register issued for version 1", "Valid" } },
                new { name = "upload-pdf-zh", path = $"/verify/{active}", upload = pdf, expect = new[] { "真实", "有效" } },
            ];
            var casesFile = Path.Combine(work.FullName, "cases.json");
            await File.WriteAllTextAsync(casesFile, JsonSerializer.Serialize(cases));
            var shots = Path.Combine(RepositoryFiles.Root(), "TestResults", "browser");

            var (exit, output, error) = await ExternalProcess.RunScriptAsync("browse-verification-page.mjs", service.Http.BaseAddress!.ToString().TrimEnd('/'), casesFile, shots);

            Assert.True(exit == 0, $"The browser run failed ({exit}):\n{output}\n{error}");
            var results = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(cases.Length, results.Count);
            Assert.All(results, r => Assert.True(r.GetProperty("ok").GetBoolean(), r.ToString()));
            Assert.All(results, r => Assert.Equal(200, r.GetProperty("status").GetInt32()));
            Assert.All(results.Where(r => r.GetProperty("name").GetString()!.EndsWith("-zh", StringComparison.Ordinal)), r => Assert.Equal("zh-CN", r.GetProperty("lang").GetString()));
            Assert.All(results.Where(r => r.GetProperty("name").GetString()!.Contains("-en", StringComparison.Ordinal)), r => Assert.Equal("en", r.GetProperty("lang").GetString()));
            Assert.True(File.Exists(Path.Combine(shots, "suspended-en.png")));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static object Case(string name, string path, params string[] expect) => new { name, path, expect };

    private Task<string> TextAsync(string path) => service.GetTextAsync(path, service.RegistrarKey);

    private Task<byte[]> BytesAsync(string path) => service.GetBytesAsync(path, service.RegistrarKey);

    private Task ActAsync(string code, string action, object body) => service.ActAsync(code, action, body);
}
