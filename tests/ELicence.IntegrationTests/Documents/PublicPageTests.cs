using System.Net;
using System.Net.Http.Headers;
using ELicence.Core.CreditCodes;

namespace ELicence.IntegrationTests.Documents;

/// <summary>The public verification page over HTTP: the states in Chinese and English, printed copies, the upload form, bad input.</summary>
[Collection(ServiceCollection.Name)]
public class PublicPageTests(ServiceFixture service)
{
    [Fact]
    public async Task An_active_licence_is_shown_valid_in_Chinese_by_default_with_a_strict_policy_and_cache_headers()
    {
        var code = await service.IssueAsync();

        using var response = await GetAsync($"/verify/{code}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html lang=\"zh-CN\">", html, StringComparison.Ordinal);
        Assert.Contains("有效", html, StringComparison.Ordinal);
        Assert.Contains("阿图什市天山果业有限公司", html, StringComparison.Ordinal);
        Assert.Contains("艾力·买买提", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Contains("max-age=60", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.ETag);

        using var again = new HttpRequestMessage(HttpMethod.Get, $"/verify/{code}");
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var notModified = await service.Http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task The_page_is_English_with_lang_en_or_when_the_browser_prefers_English()
    {
        var code = await service.IssueAsync();

        var byQuery = await HtmlAsync($"/verify/{code}?lang=en");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/verify/{code}");
        request.Headers.AcceptLanguage.ParseAdd("en-GB,en;q=0.9,zh-CN;q=0.5");
        using var response = await service.Http.SendAsync(request);
        var byHeader = await response.Content.ReadAsStringAsync();

        foreach (var html in new[] { byQuery, byHeader })
        {
            Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
            Assert.Contains("Valid", html, StringComparison.Ordinal);
            Assert.Contains("Atushi Tianshan Fruit Co., Ltd.", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_link_of_a_printed_copy_says_current_then_superseded_after_an_amendment_and_a_forged_digest_is_not_issued()
    {
        var code = await service.IssueAsync();
        var digest = DocumentTests.ShortDigest(await CredentialAsync(code));

        var current = await HtmlAsync($"/verify/{code}?v=1&d={digest}&lang=en");
        await AmendAsync(code);
        var superseded = await HtmlAsync($"/verify/{code}?v=1&d={digest}&lang=en");
        var supersededZh = await HtmlAsync($"/verify/{code}?v=1&d={digest}");
        var forged = await HtmlAsync($"/verify/{code}?v=2&d={digest}&lang=en");

        Assert.Contains("This printed copy (version 1) is the current version", current, StringComparison.Ordinal);
        Assert.Contains("superseded by version 2", superseded, StringComparison.Ordinal);
        Assert.Contains("已被第 2 版取代", supersededZh, StringComparison.Ordinal);
        Assert.Contains("issued no licence matching this link", forged, StringComparison.Ordinal);
        // Switching language keeps which printed copy is being checked; the header names the configured authority.
        Assert.Contains($"href=\"/verify/{code}?v=1&amp;d={digest}&amp;lang=zh\"", current, StringComparison.Ordinal);
        Assert.Contains(service.Services.GetRequiredService<Core.Kernel.IssuerOptions>().NameEn + " · public licence check", current, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_suspended_and_a_revoked_licence_are_shown_with_date_and_public_reason()
    {
        var suspended = await service.IssueAsync();
        var revoked = await service.IssueAsync();
        await ActAsync(suspended, "suspension", new { reasonCode = "annual-report-not-filed", reason = "未按期公示年度报告" });
        await ActAsync(revoked, "revocation", new { reason = "提交虚假材料取得登记" });

        var suspendedZh = await HtmlAsync($"/verify/{suspended}");
        var suspendedEn = await HtmlAsync($"/verify/{suspended}?lang=en");
        var revokedZh = await HtmlAsync($"/verify/{revoked}");

        Assert.Contains("经营异常", suspendedZh, StringComparison.Ordinal);
        Assert.Contains("未按期公示年度报告", suspendedZh, StringComparison.Ordinal);
        Assert.Contains("Not in good standing", suspendedEn, StringComparison.Ordinal);
        Assert.Contains("已吊销", revokedZh, StringComparison.Ordinal);
        Assert.Contains("提交虚假材料取得登记", revokedZh, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_code_is_a_404_page_and_a_malformed_one_a_400_page_never_problem_json()
    {
        var unknown = CreditCodeAllocation.CodeFor(424_242, EntityType.LimitedLiabilityCompany, "110105").Value;

        using var notFound = await GetAsync($"/verify/{unknown}");
        using var malformed = await GetAsync("/verify/NOT-A-CODE");

        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("text/html", notFound.Content.Headers.ContentType?.MediaType);
        Assert.Contains("未找到该执照", await notFound.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("text/html", malformed.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_uploaded_licence_pdf_and_a_pasted_credential_are_checked_and_leave_no_receipt()
    {
        var code = await service.IssueAsync();
        var credential = await CredentialAsync(code);
        var pdf = await PdfAsync(code);
        var before = await service.SnapshotAsync();

        var uploaded = await PostAsync(Upload(pdf, "licence.pdf", "application/pdf"), "en");
        var pasted = await PostAsync(new FormUrlEncodedContent([new("credential", credential)]), "zh");
        await AmendAsync(code);
        var old = await PostAsync(Upload(pdf, "licence.pdf", "application/pdf"), "en");

        Assert.Equal(HttpStatusCode.OK, uploaded.Status);
        Assert.Contains("Genuine: byte for byte the credential this register issued for version 1", uploaded.Html, StringComparison.Ordinal);
        Assert.Contains("Valid", uploaded.Html, StringComparison.Ordinal);
        Assert.Contains("真实", pasted.Html, StringComparison.Ordinal);
        Assert.Contains("Genuine, but superseded: version 2 is current", old.Html, StringComparison.Ordinal);
        Assert.Equal(before.Receipts, (await service.SnapshotAsync()).Receipts);
    }

    [Fact]
    public async Task Bad_uploads_are_answered_clearly_with_the_right_status()
    {
        var code = await service.IssueAsync();
        var credential = await CredentialAsync(code);
        var forged = credential[..^4] + (credential[^4] == 'A' ? "B" : "A") + credential[^3..];

        var notPdf = await PostAsync(Upload(Encoding.UTF8.GetBytes("GIF89a, not a PDF"), "photo.pdf", "application/pdf"), "en");
        var noCredential = await PostAsync(Upload(ELicence.Core.UnitTests.Documents.PlainPdfs.WithoutCredential(), "other.pdf", "application/pdf"), "en");
        var huge = await PostAsync(Upload(new byte[20 * 1024 * 1024], "huge.pdf", "application/pdf"), "en");
        var forgedCheck = await PostAsync(new FormUrlEncodedContent([new("credential", forged)]), "en");
        var notJws = await PostAsync(new FormUrlEncodedContent([new("credential", "hello")]), "en");
        var empty = await PostAsync(new FormUrlEncodedContent([new("credential", "")]), "en");

        Assert.Equal((HttpStatusCode.BadRequest, true), (notPdf.Status, notPdf.Html.Contains("is not a PDF", StringComparison.Ordinal)));
        Assert.Equal((HttpStatusCode.BadRequest, true), (noCredential.Status, noCredential.Html.Contains("carries no embedded credential", StringComparison.Ordinal)));
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, true), (huge.Status, huge.Html.Contains("at most 2 MB", StringComparison.Ordinal)));
        Assert.Equal((HttpStatusCode.OK, true), (forgedCheck.Status, forgedCheck.Html.Contains("Not a licence this register issued (bad-signature)", StringComparison.Ordinal)));
        Assert.Equal((HttpStatusCode.BadRequest, true), (notJws.Status, notJws.Html.Contains("is not a credential", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
    }

    [Fact]
    public async Task A_128_KiB_pdf_whose_embedded_file_inflates_to_128_MiB_is_refused_after_64_KiB_of_inflating()
    {
        var bomb = ELicence.Core.UnitTests.Documents.PlainPdfs.WithEmbeddedFileInflatingTo(128 * 1024 * 1024);
        var inflated = new System.Collections.Concurrent.ConcurrentBag<(long Bytes, string? Outcome)>();
        var instrumentName = ELicence.Core.Compression.BoundedInflate.InflatedBytes.Name;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ELicence.Core.Kernel.ElicenceTelemetry.Name && instrument.Name == instrumentName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, bytes, tags, _) =>
        {
            var source = tags.ToArray().FirstOrDefault(t => t.Key == "source").Value as string;
            if (source == ELicence.Documents.PdfCredentialReader.InflateSource)
            {
                inflated.Add((bytes, tags.ToArray().FirstOrDefault(t => t.Key == "outcome").Value as string));
            }
        });
        listener.Start();

        var (status, html) = await PostAsync(Upload(bomb, "licence.pdf", "application/pdf"), "en");

        Assert.True(bomb.Length < 256 * 1024, $"{bomb.Length} bytes");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("far larger than any credential", html, StringComparison.Ordinal);
        Assert.Contains(inflated, m => m.Outcome == "over-limit");
        Assert.All(inflated, m => Assert.True(m.Bytes <= ELicence.Documents.PdfCredentialReader.MaxCredentialBytes + 1, $"{m.Bytes} bytes inflated"));
    }

    [Fact]
    public async Task A_pdf_with_compressed_cross_reference_streams_is_refused_unparsed()
    {
        var (status, html) = await PostAsync(Upload(ELicence.Core.UnitTests.Documents.PlainPdfs.WithObjectStreamInflatingTo(128 * 1024 * 1024), "licence.pdf", "application/pdf"), "en");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("compressed cross-reference streams", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_printed_copy_that_is_not_the_current_one_leads_the_page_with_its_own_verdict_before_the_licence_state()
    {
        var code = await service.IssueAsync();
        var link = $"/verify/{code}?v=1&d={DocumentTests.ShortDigest(await CredentialAsync(code))}";
        var current = await HtmlAsync(link + "&lang=en");
        await AmendAsync(code);

        // The current copy adds its confirmation under the licence's state; an outdated or unknown copy comes first, in its own box.
        Assert.True(current.IndexOf("id=\"status\"", StringComparison.Ordinal) < current.IndexOf("id=\"copy\"", StringComparison.Ordinal));
        foreach (var (path, word) in new[] { (link + "&lang=en", "Outdated printed copy"), (link, "打印件已过时"), (link.Replace("v=1", "v=2", StringComparison.Ordinal) + "&lang=en", "Printed copy not issued") })
        {
            var html = await HtmlAsync(path);
            var copy = html.IndexOf("id=\"copy\"", StringComparison.Ordinal);
            Assert.InRange(copy, 0, html.IndexOf("id=\"status\"", StringComparison.Ordinal));
            Assert.StartsWith($"id=\"copy\"><strong>{word}</strong>", html[copy..], StringComparison.Ordinal);
            Assert.True(html.IndexOf("<strong>", StringComparison.Ordinal) > copy, "no verdict in bold before the copy's");
        }
    }

    [Fact]
    public async Task The_English_page_gives_a_suspension_reason_in_the_codes_English_wording_and_the_registrars_words_as_written()
    {
        var suspended = await service.IssueAsync();
        await ActAsync(suspended, "suspension", new { reasonCode = "unreachable-at-domicile", reason = "按登记的住所无法联系" });
        var revoked = await service.IssueAsync();
        await ActAsync(revoked, "revocation", new { reason = "以欺骗手段取得登记" });

        var (suspendedEn, revokedEn) = (await HtmlAsync($"/verify/{suspended}?lang=en"), await HtmlAsync($"/verify/{revoked}?lang=en"));

        Assert.Contains("Reason: Cannot be reached at the registered domicile or place of business. As the registrar", suspendedEn, StringComparison.Ordinal);
        Assert.Contains("As the registrar recorded it: <span lang=\"zh-CN\">按登记的住所无法联系</span>", suspendedEn, StringComparison.Ordinal);
        // A revocation has no reason code: the registrar's words alone, marked as Chinese.
        Assert.Matches("The licence was revoked on [^<]*\\. As the registrar recorded it: <span lang=\"zh-CN\">以欺骗手段取得登记</span>", revokedEn);
        Assert.DoesNotContain("Reason: 以欺骗", revokedEn, StringComparison.Ordinal);
    }

    private static MultipartFormDataContent Upload(byte[] file, string name, string type)
    {
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return new MultipartFormDataContent { { content, "file", name } };
    }

    private async Task<(HttpStatusCode Status, string Html)> PostAsync(HttpContent content, string lang)
    {
        using (content)
        {
            using var response = await service.Http.PostAsync($"/verify?lang={lang}", content);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    private async Task<HttpResponseMessage> GetAsync(string path) => await service.Http.GetAsync(path);

    private async Task<string> HtmlAsync(string path)
    {
        using var response = await GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private Task<string> CredentialAsync(string code) => service.GetTextAsync($"/api/v1/licences/{code}/credential", service.RegistrarKey);

    private Task<byte[]> PdfAsync(string code) => service.GetBytesAsync($"/api/v1/licences/{code}/pdf", service.RegistrarKey);

    private Task AmendAsync(string code) => service.AmendDomicileAsync(code);

    private Task ActAsync(string code, string action, object body) => service.ActAsync(code, action, body);
}
