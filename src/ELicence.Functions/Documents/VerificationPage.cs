using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ELicence.Core.Credentials;
using ELicence.Documents;
using ELicence.Core.Register;
using ELicence.Core.Verification;
using ELicence.Functions.Http;

namespace ELicence.Functions.Documents;

/// <summary>
/// The public verification page as HTML: no script at all, one inline stylesheet allowed by its hash in a strict
/// Content-Security-Policy, <c>lang</c> on the document, headings in order, text colours with at least 4.5:1 contrast.
/// </summary>
public sealed class VerificationPage(DocumentLanguage language, IssuerOptions issuer)
{
    public const string ContentType = "text/html; charset=utf-8";

    private const string Style = """
        body{font-family:"Noto Sans SC","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#1a1a1a;background:#fafafa;line-height:1.6}
        header,main,footer{max-width:46rem;margin:0 auto;padding:0 1rem}
        header{border-bottom:3px solid #a3181e}
        header p{margin:.5rem 0}
        h1{font-size:1.6rem;margin:1rem 0 .5rem}
        h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
        .state{border-left:.5rem solid;padding:.75rem 1rem;background:#fff}
        .ok{border-color:#1d6b2f}.warn{border-color:#8a5a00}.bad{border-color:#a3181e}
        .state strong{font-size:1.3rem;display:block}
        dl{display:grid;grid-template-columns:minmax(8rem,14rem) 1fr;gap:.25rem 1rem;background:#fff;padding:1rem}
        dt{font-weight:bold}dd{margin:0}
        label{display:block;font-weight:bold;margin-top:1rem}
        textarea{width:100%;min-height:6rem;font-family:monospace}
        button{margin-top:1rem;padding:.5rem 1.5rem;background:#a3181e;color:#fff;border:0;font-size:1rem}
        a{color:#0b4f8a}
        footer{color:#444;font-size:.9rem;margin-top:2rem;padding-bottom:2rem}
        """;

    /// <summary>The page's Content-Security-Policy: nothing but this stylesheet, same-origin images and form posts.</summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private bool Zh => language == DocumentLanguage.Chinese;

    private string T(string zh, string en) => Zh ? zh : en;

    /// <summary>The page of one licence, and of the printed copy its link named.</summary>
    /// <param name="copyQuery">The <c>v</c>/<c>d</c> query of a printed copy's QR link, kept by the language switch.</param>
    public string Licence(PublicLicencePage page, string? copyQuery = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        var licence = page.Licence;
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<h1>{E(T("营业执照核验", "Business licence check"))}</h1>");
        body.Append(CultureInfo.InvariantCulture, $"<p>{E(LicenceSheet.Fields(licence, language)[1].Value)} · {E(licence.Code.Value)}</p>");
        body.Append(StateBlock(page.Standing));
        if (page.Copy != CopyVerdict.None)
        {
            body.Append(CultureInfo.InvariantCulture, $"<h2>{E(T("打印件", "The printed copy"))}</h2>");
            var (css, text) = page.Copy switch
            {
                CopyVerdict.Current => ("ok", T($"此打印件（第 {page.CopyVersion} 版）是本登记机关签发的当前版本。", $"This printed copy (version {page.CopyVersion}) is the current version issued by this register.")),
                CopyVerdict.Superseded => ("warn", T($"此打印件（第 {page.CopyVersion} 版）已被第 {licence.Version} 版取代，请向企业索取最新版本。", $"This printed copy (version {page.CopyVersion}) is superseded by version {licence.Version}; ask the business for the current one.")),
                CopyVerdict.NotIssued => ("bad", T("本登记机关没有签发与此链接相符的执照；此打印件可能是伪造或经过篡改的。", "This register issued no licence matching this link: the printed copy may be forged or altered.")),
                _ => throw new InvalidOperationException($"Unknown copy verdict {page.Copy}."),
            };
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"state {css}\" id=\"copy\">{E(text)}</p>");
        }

        body.Append(CultureInfo.InvariantCulture, $"<h2>{E(T("登记信息", "Register entry"))}</h2><dl>");
        foreach (var field in LicenceSheet.Fields(licence, language).Where(f => f.Public))
        {
            body.Append(CultureInfo.InvariantCulture, $"<dt>{E(field.Label)}</dt><dd>{E(field.Value)}</dd>");
        }

        body.Append(CultureInfo.InvariantCulture, $"<dt>{E(T("当前版本", "Current version"))}</dt><dd>{licence.Version}</dd></dl>");
        body.Append(Form());
        return Document(T("营业执照核验", "Business licence check") + " " + licence.Code.Value, body.ToString(), $"/verify/{licence.Code.Value}" + (copyQuery is null ? "" : "?" + copyQuery));
    }

    /// <summary>The page with only the form: paste a credential or upload the PDF.</summary>
    public string Start() =>
        Document(T("核验电子营业执照", "Check an electronic business licence"),
            $"<h1>{E(T("核验电子营业执照", "Check an electronic business licence"))}</h1><p>{E(T("扫描执照上的二维码会打开该执照的核验页面。您也可以按名称或代码查询登记簿，或在下方粘贴电子凭证、上传收到的执照 PDF。", "Scanning the QR code on a licence opens its check page. You can also search the register by name or code, or paste a credential or upload a licence PDF you received below."))}</p>{SearchForm(null)}{Form()}",
            "/verify");

    /// <summary>The register's hits for a search from the page's search box, each linking to its check page.</summary>
    public string Found(string query, IReadOnlyList<RegisterSearchHit> hits)
    {
        ArgumentNullException.ThrowIfNull(hits);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<h1>{E(T("查询登记簿", "Search the register"))}</h1>");
        body.Append(SearchForm(query));
        body.Append(CultureInfo.InvariantCulture, $"<h2>{E(T($"“{query}”的查询结果", $"Results for “{query}”"))}</h2>");
        if (hits.Count == 0)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p id=\"results\">{E(T("登记簿中没有匹配的企业。请核对名称或统一社会信用代码。", "No business in the register matches. Check the name or the unified social credit code."))}</p>");
        }
        else
        {
            body.Append("<ol id=\"results\">");
            foreach (var hit in hits)
            {
                var name = Zh ? hit.Name : hit.NameEn ?? hit.Name;
                var former = hit.FormerName ? " · " + T($"曾用名：{hit.MatchedName}", $"former name: {hit.MatchedName}") : "";
                body.Append(CultureInfo.InvariantCulture, $"<li><a href=\"/verify/{E(hit.CreditCode)}?lang={PageLanguage.Query(language)}\">{E(name)}</a> · {E(hit.CreditCode)}{E(former)}</li>");
            }

            body.Append("</ol>");
        }

        body.Append(Form());
        return Document(T("查询登记簿", "Search the register"), body.ToString(), "/verify?q=" + Uri.EscapeDataString(query));
    }

    /// <summary>The result of checking a pasted credential or an uploaded PDF.</summary>
    public string Checked(PublicCredentialCheck check, bool fromPdf)
    {
        ArgumentNullException.ThrowIfNull(check);
        var first = check.Reasons.FirstOrDefault(r => ReasonCodes.IsBlocking(r.Code))?.Code;
        var authentic = first is null or ReasonCodes.Superseded or ReasonCodes.Suspended or ReasonCodes.Revoked or ReasonCodes.Deregistered or ReasonCodes.Expired or ReasonCodes.NotYetInForce;
        var version = check.Licence?.Version;
        var superseded = check.Reasons.Any(r => r.Code == ReasonCodes.Superseded);
        var (css, verdict) = (authentic, superseded) switch
        {
            (false, _) => ("bad", T($"不是本登记机关签发的执照（{first}）：签名、版本或内容与登记不符，请勿采信。", $"Not a licence this register issued ({first}): its signature or content does not match the register. Do not rely on it.")),
            (true, true) => ("warn", T($"真实，但已被取代：当前为第 {version} 版，请向企业索取最新版本。", $"Genuine, but superseded: version {version} is current; ask the business for the current one.")),
            _ => ("ok", T($"真实：与本登记机关签发的第 {version} 版电子凭证逐字节一致。", $"Genuine: byte for byte the credential this register issued for version {version}.")),
        };
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<h1>{E(T("核验结果", "Check result"))}</h1>");
        body.Append(CultureInfo.InvariantCulture, $"<p>{E(fromPdf ? T("已从上传的 PDF 中取出嵌入的电子凭证（licence.vc.jwt）并核验。", "The credential embedded in the uploaded PDF (licence.vc.jwt) was checked.") : T("已核验粘贴的电子凭证。", "The pasted credential was checked."))}</p>");
        body.Append(CultureInfo.InvariantCulture, $"<p class=\"state {css}\" id=\"verdict\"><strong>{E(verdict)}</strong></p>");
        if (authentic && check.Licence is { } summary && check.Standing is { } standing)
        {
            body.Append(CultureInfo.InvariantCulture, $"<h2>{E(T("执照状态", "Licence status"))}</h2>");
            body.Append(StateBlock(standing));
            body.Append(CultureInfo.InvariantCulture, $"<p>{E(Zh ? summary.Name : summary.NameEn ?? summary.Name)} · {E(summary.CreditCode)} · <a href=\"/verify/{E(summary.CreditCode)}?lang={PageLanguage.Query(language)}\">{E(T("查看登记信息", "See the register entry"))}</a></p>");
        }

        body.Append(Form());
        return Document(T("核验结果", "Check result"), body.ToString(), "/verify");
    }

    /// <summary>An error page: what went wrong and what to do, never a stack trace.</summary>
    public string Error(int status, string? detail = null)
    {
        var (title, advice) = status switch
        {
            404 => (T("未找到该执照", "No such licence"), T("登记簿中没有这个统一社会信用代码的执照。请核对代码（18 位），或联系出示执照的企业。", "The register has no licence with this unified social credit code. Check the 18-character code, or ask the business that showed you the licence.")),
            413 => (T("文件过大", "File too large"), T($"上传的文件不能超过 {PublicVerification.MaxUploadBytes / 1024 / 1024} MB。执照 PDF 通常小于 500 KB。", $"Uploads may be at most {PublicVerification.MaxUploadBytes / 1024 / 1024} MB; a licence PDF is under 500 KB.")),
            415 => (T("无法读取该请求", "Cannot read this request"), T("请通过本页的表单提交。", "Please submit through the form on this page.")),
            429 => (T("请求过于频繁", "Too many requests"), T("请稍后再试。", "Please wait a moment and try again.")),
            >= 500 => (T("服务暂时不可用", "Service unavailable"), T("发生了意外错误，请稍后再试。", "Something unexpected went wrong; please try again later.")),
            _ => (T("无法核验", "Cannot check this"), detail ?? T("请求无效。", "The request is not valid.")),
        };
        var body = $"<h1>{E(title)}</h1><p class=\"state bad\" id=\"error\">{E(advice)}</p>{Form()}";
        return Document(title, body, "/verify");
    }

    private string StateBlock(PublicStanding standing)
    {
        var date = standing.Date is { } d ? LicenceSheet.Date(d, language) : "";
        var reason = standing.Reason is { } r ? T($"原因：{r}", $"Reason: {r}") : "";
        var (css, word, text) = standing.State switch
        {
            PublicState.Valid => ("ok", T("有效", "Valid"), T("执照有效，企业登记状态正常。", "The licence is in force and the business is in good standing.")),
            PublicState.NotYetInForce => ("warn", T("尚未生效", "Not yet in force"), T($"营业期限自 {date} 开始，此前执照尚未生效。", $"The operating term starts on {date}; the licence is not in force before then.")),
            PublicState.UnderDeregistrationNotice => ("warn", T("简易注销公告中", "Under deregistration notice"), T($"执照仍然有效，但企业正在办理简易注销，公告期至 {date}。", $"The licence is still valid, but the business applied for simplified deregistration; the public notice runs until {date}.")),
            PublicState.NotInGoodStanding => ("bad", T("经营异常", "Not in good standing"), T($"执照真实，但企业自 {date} 起被列入经营异常名录。{reason}", $"The licence is genuine, but the business has been on the abnormal-operations list since {date}. {reason}")),
            PublicState.Revoked => ("bad", T("已吊销", "Revoked"), T($"营业执照已于 {date} 被吊销。{reason}", $"The licence was revoked on {date}. {reason}")),
            PublicState.Deregistered => ("bad", T("已注销", "Deregistered"), T($"企业已于 {date} 注销，不再存续。", $"The business was deregistered on {date} and no longer exists.")),
            PublicState.Expired => ("bad", T("已过期", "Expired"), T($"营业期限已于 {date} 届满。", $"The operating term ended on {date}.")),
            _ => throw new InvalidOperationException($"Unknown state {standing.State}."),
        };
        return $"<div class=\"state {css}\" id=\"status\"><strong>{E(word)}</strong><p>{E(text.Trim())}</p></div>";
    }

    /// <summary>A GET form to <c>/verify</c>: the search needs no script, the browser builds the <c>?q=</c> link.</summary>
    private string SearchForm(string? query) => $"""
        <form method="get" action="/verify" role="search">
        <input type="hidden" name="lang" value="{PageLanguage.Query(language)}">
        <label for="q">{E(T("按企业名称（可输入其中两个字以上）或统一社会信用代码查询", "Search by business name (any two or more characters of it) or credit code"))}</label>
        <input id="q" name="q" type="search" minlength="{RegisterSearch.MinQueryLength}" maxlength="{RegisterSearch.MaxQueryLength}" required value="{E(query ?? "")}">
        <button type="submit">{E(T("查询", "Search"))}</button>
        </form>
        """;

    private string Form() => $"""
        <h2>{E(T("核验收到的执照", "Check a licence you received"))}</h2>
        <form method="post" action="/verify?lang={PageLanguage.Query(language)}" enctype="multipart/form-data">
        <label for="credential">{E(T("粘贴电子凭证（以 eyJ 开头的文本）", "Paste a credential (text starting with eyJ)"))}</label>
        <textarea id="credential" name="credential" spellcheck="false"></textarea>
        <label for="file">{E(T("或上传执照 PDF", "or upload the licence PDF"))}</label>
        <input id="file" name="file" type="file" accept="application/pdf,.pdf">
        <button type="submit">{E(T("核验", "Check"))}</button>
        </form>
        """;

    private string Document(string title, string body, string path)
    {
        var other = Zh ? DocumentLanguage.English : DocumentLanguage.Chinese;
        var separator = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        var switchLink = $"<a href=\"{E($"{path}{separator}lang={PageLanguage.Query(other)}")}\" lang=\"{PageLanguage.Tag(other)}\" hreflang=\"{PageLanguage.Tag(other)}\">{(Zh ? "English" : "中文")}</a>";
        return $"""
            <!DOCTYPE html>
            <html lang="{PageLanguage.Tag(language)}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(title)}</title>
            <style>{Style}</style>
            </head>
            <body>
            <header><p>{E(T(issuer.Name + " · 电子营业执照公开核验", issuer.NameEn + " · public licence check"))} · {switchLink}</p></header>
            <main>
            {body}
            </main>
            <footer><p>{E(T("本页面不需要账户，也不会记录您的核验。", "This page needs no account and keeps no record of your check."))}</p></footer>
            </body>
            </html>
            """;
    }

    /// <summary>Escapes the five characters that matter in text and attribute values and nothing else, so Chinese and "·" stay readable in the source.</summary>
    private static string E(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal).Replace("'", "&#39;", StringComparison.Ordinal);

    /// <summary>The response for a page: HTML, the CSP and the other security headers, an ETag of the bytes and a short cache.</summary>
    public static BodyResult Result(string html, int status, bool cacheable)
    {
        var bytes = Encoding.UTF8.GetBytes(html);
        var headers = new Dictionary<string, string>
        {
            ["Content-Security-Policy"] = ContentSecurityPolicy,
            ["Referrer-Policy"] = "no-referrer",
            ["X-Frame-Options"] = "DENY",
            ["Vary"] = "Accept-Language",
            ["Cache-Control"] = cacheable ? "public, max-age=60" : "no-store",
        };
        if (cacheable)
        {
            headers["ETag"] = ETagOf(bytes);
        }

        return new BodyResult(status, ContentType, bytes, headers);
    }

    public static string ETagOf(byte[] bytes) => $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}\"";
}
