using ELicence.Core.Credentials;
using ELicence.Documents;
using ELicence.Core.Register;
using ELicence.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;

namespace ELicence.Functions.Documents;

/// <summary>
/// The public verification page, for anyone (rate-limited per client): the licence a QR code names, and a form where a
/// person pastes a credential or uploads a PDF. Answers are HTML, errors included; nothing is written, no receipt made.
/// </summary>
public sealed class PublicVerification(HttpApi api, PublicLicenceCheck check, RegisterSearch search, IssuerOptions issuer)
{
    /// <summary>An upload may be at most this large; a licence PDF is under 500 KB.</summary>
    public const int MaxUploadBytes = 2 * 1024 * 1024;

    /// <summary>The start page; with <c>?q=</c> it also lists the register's hits for a name or code, under the <see cref="RatePolicy.RegisterSearch"/> limit.</summary>
    [Function("GetVerificationStart")]
    public Task<IActionResult> Start([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "verify")] HttpRequest req) =>
        req.Query.ContainsKey("q")
            ? Page(req, RatePolicy.RegisterSearch, async () =>
            {
                var q = req.Query["q"];
                if (q.Count != 1)
                {
                    throw ProblemException.Invalid("q", "Give this parameter once.");
                }

                var found = await search.SearchAsync(new RegisterSearchRequest(q[0]), req.HttpContext.RequestAborted);
                return Cached(req, new VerificationPage(PageLanguage.Of(req), issuer).Found(q[0]!, found.Results));
            })
            : Page(req, () => Task.FromResult(Cached(req, new VerificationPage(PageLanguage.Of(req), issuer).Start())));

    /// <summary><c>?v=&amp;d=</c> from a printed licence's QR code say which copy to check; <c>?lang=en</c> for English.</summary>
    [Function("GetVerificationPage")]
    public Task<IActionResult> Licence([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "verify/{code}")] HttpRequest req, string code) =>
        Page(req, async () =>
        {
            var (version, digest) = (Optional(req, "v"), Optional(req, "d"));
            var page = await check.GetPageAsync(code, version, digest, req.HttpContext.RequestAborted);
            var copyQuery = version is null && digest is null ? null : $"v={Uri.EscapeDataString(version ?? "")}&d={Uri.EscapeDataString(digest ?? "")}";
            return Cached(req, new VerificationPage(PageLanguage.Of(req), issuer).Licence(page, copyQuery));
        });

    /// <summary>A form post (multipart with <c>file</c> and/or <c>credential</c>, or urlencoded <c>credential</c>), at most <see cref="MaxUploadBytes"/>.</summary>
    [Function("PostVerification")]
    public Task<IActionResult> Check([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "verify")] HttpRequest req) =>
        Page(req, async () =>
        {
            var language = PageLanguage.Of(req);
            var form = await ReadFormAsync(req);
            var pasted = form["credential"].ToString().Trim();
            var file = form.Files.GetFile("file");
            string credential;
            var fromPdf = false;
            if (file is { Length: > 0 })
            {
                using var content = new MemoryStream();
                await file.CopyToAsync(content, req.HttpContext.RequestAborted);
                var read = PdfCredentialReader.Read(content.ToArray());
                credential = read.Credential ?? throw new ProblemException(ProblemType.Validation, read.Failure switch
                {
                    PdfReadFailure.NotAPdf => language == DocumentLanguage.Chinese ? "上传的文件不是 PDF。请上传企业发给您的执照 PDF。" : "The uploaded file is not a PDF. Upload the licence PDF the business sent you.",
                    PdfReadFailure.Unreadable => language == DocumentLanguage.Chinese ? "无法读取该 PDF 文件，它可能已损坏。" : "The PDF cannot be read; it may be damaged.",
                    _ => language == DocumentLanguage.Chinese ? "该 PDF 中没有嵌入电子凭证（licence.vc.jwt），无法核验；它不是本系统生成的执照 PDF。" : "This PDF carries no embedded credential (licence.vc.jwt), so it cannot be checked: it is not a licence PDF from this register.",
                });
                fromPdf = true;
            }
            else if (pasted.Length > 0)
            {
                credential = pasted;
            }
            else
            {
                throw new ProblemException(ProblemType.Validation, language == DocumentLanguage.Chinese ? "请粘贴电子凭证或选择执照 PDF 文件。" : "Paste a credential or choose a licence PDF.");
            }

            PublicCredentialCheck result;
            try
            {
                result = await check.CheckCredentialAsync(credential, req.HttpContext.RequestAborted);
            }
            catch (ProblemException e) when (e.Type == ProblemType.Validation)
            {
                throw new ProblemException(ProblemType.Validation, language == DocumentLanguage.Chinese ? "这不是电子凭证：电子凭证是以 eyJ 开头、由两个点分成三段的文本。" : "This is not a credential: a credential is text starting with eyJ, in three parts separated by dots.");
            }

            return VerificationPage.Result(new VerificationPage(language, issuer).Checked(result, fromPdf), StatusCodes.Status200OK, cacheable: false);
        });

    private Task<IActionResult> Page(HttpRequest req, Func<Task<IActionResult>> action) => Page(req, RatePolicy.Anonymous, action);

    private Task<IActionResult> Page(HttpRequest req, RatePolicy policy, Func<Task<IActionResult>> action) =>
        api.RunPageAsync(req, policy, action, (problem, status) =>
            VerificationPage.Result(new VerificationPage(PageLanguage.Of(req), issuer).Error(status, ProblemDetail(problem)), status, cacheable: false));

    /// <summary>A validation problem's message, or its first field error's (a search query that is too short, say), for the page.</summary>
    private static string? ProblemDetail(ProblemException problem) =>
        problem.Type != ProblemType.Validation ? null
        : problem.Errors.Count == 0 ? problem.Message
        : problem.Errors[0].Message;

    /// <summary>200 with the page, or 304 when the client's If-None-Match names the same bytes.</summary>
    private static IActionResult Cached(HttpRequest req, string html)
    {
        var result = VerificationPage.Result(html, StatusCodes.Status200OK, cacheable: true);
        var etag = VerificationPage.ETagOf(System.Text.Encoding.UTF8.GetBytes(html));
        return req.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag || t.Trim() == "W/" + etag))
            ? new NotModified(etag)
            : result;
    }

    private static string? Optional(HttpRequest req, string name) => req.Query.TryGetValue(name, out var value) ? value.ToString() : null;

    private static async Task<IFormCollection> ReadFormAsync(HttpRequest req)
    {
        if (!MediaTypeHeaderValue.TryParse(req.ContentType, out var type)
            || !(type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) || type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ProblemException(ProblemType.UnsupportedMediaType, "Send the form as multipart/form-data or application/x-www-form-urlencoded.");
        }

        if (req.ContentLength > MaxUploadBytes)
        {
            throw new ProblemException(ProblemType.PayloadTooLarge, $"The upload may be at most {MaxUploadBytes} bytes.");
        }

        // Read to the limit before parsing, so a body without (or lying about) its length cannot grow past it.
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await req.Body.ReadAsync(chunk, req.HttpContext.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxUploadBytes)
            {
                throw new ProblemException(ProblemType.PayloadTooLarge, $"The upload may be at most {MaxUploadBytes} bytes.");
            }
        }

        buffer.Position = 0;
        req.Body = buffer;
        try
        {
            return await req.ReadFormAsync(req.HttpContext.RequestAborted);
        }
        catch (InvalidDataException)
        {
            throw new ProblemException(ProblemType.BadRequest, "The form is malformed.");
        }
    }

    private sealed class NotModified(string etag) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            context.HttpContext.Response.StatusCode = StatusCodes.Status304NotModified;
            context.HttpContext.Response.Headers.ETag = etag;
            context.HttpContext.Response.Headers.CacheControl = "public, max-age=60";
            return Task.CompletedTask;
        }
    }
}
