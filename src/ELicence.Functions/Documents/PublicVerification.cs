using ELicence.Core.Credentials;
using ELicence.Documents;
using ELicence.Documents.Pages.Verification;
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
public sealed class PublicVerification(HttpApi<PublicVerification> api, PublicLicenceCheck check, RegisterSearch search, VerificationPages pages)
{
    /// <summary>An upload may be at most this large; a licence PDF is under 500 KB.</summary>
    public const int MaxUploadBytes = 2 * 1024 * 1024;

    /// <summary>The start page; with <c>?q=</c> it also lists the register's hits for a name or code, under the <see cref="RatePolicy.RegisterSearch"/> limit.</summary>
    [Function("GetVerificationStart")]
    [Endpoint(Access.Anyone)]
    public Task<IActionResult> Start([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "verify")] HttpRequest req) =>
        req.Query.ContainsKey("q")
            ? api.RunPageAsync(req, async call =>
            {
                var q = req.Query["q"];
                if (q.Count != 1)
                {
                    throw ProblemException.Invalid("q", "Give this parameter once.");
                }

                var found = await search.SearchAsync(new RegisterSearchRequest(q[0]), call.Cancellation);
                return PageResults.Cached(req, await pages.FoundAsync(PageLanguage.Of(req), q[0]!, found.Results));
            }, ErrorPage(req), RatePolicy.RegisterSearch)
            : api.RunPageAsync(req, async _ => PageResults.Cached(req, await pages.StartAsync(PageLanguage.Of(req))), ErrorPage(req));

    /// <summary><c>?v=&amp;d=</c> from a printed licence's QR code say which copy to check; <c>?lang=en</c> for English.</summary>
    [Function("GetVerificationPage")]
    [Endpoint(Access.Anyone)]
    public Task<IActionResult> Licence([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "verify/{code}")] HttpRequest req, string code) =>
        api.RunPageAsync(req, async call =>
        {
            var (version, digest) = (Optional(req, "v"), Optional(req, "d"));
            var page = await check.GetPageAsync(code, version, digest, call.Cancellation);
            var copyQuery = version is null && digest is null ? null : $"v={Uri.EscapeDataString(version ?? "")}&d={Uri.EscapeDataString(digest ?? "")}";
            return PageResults.Cached(req, await pages.LicenceAsync(PageLanguage.Of(req), page, copyQuery));
        }, ErrorPage(req));

    /// <summary>A form post (multipart with <c>file</c> and/or <c>credential</c>, or urlencoded <c>credential</c>), at most <see cref="MaxUploadBytes"/>.</summary>
    [Function("PostVerification")]
    [Endpoint(Access.Anyone)]
    public Task<IActionResult> Check([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "verify")] HttpRequest req) =>
        api.RunPageAsync(req, async call =>
        {
            var language = PageLanguage.Of(req);
            var texts = language.Texts;
            var form = await ReadFormAsync(call);
            var pasted = form["credential"].ToString().Trim();
            var file = form.Files.GetFile("file");
            string credential;
            var fromPdf = false;
            if (file is { Length: > 0 })
            {
                using var content = new MemoryStream();
                await file.CopyToAsync(content, call.Cancellation);
                var read = PdfCredentialReader.Read(content.ToArray());
                credential = read.Credential ?? throw new ProblemException(ProblemType.Validation, read.Failure switch
                {
                    PdfReadFailure.NotAPdf => texts["UploadNotPdf"],
                    PdfReadFailure.Unreadable => texts["UploadUnreadable"],
                    PdfReadFailure.Unsupported => texts["UploadUnsupported"],
                    PdfReadFailure.Oversized => texts["UploadOversized"],
                    _ => texts["UploadNoCredential"],
                });
                fromPdf = true;
            }
            else if (pasted.Length > 0)
            {
                credential = pasted;
            }
            else
            {
                throw new ProblemException(ProblemType.Validation, texts["NothingToCheck"]);
            }

            PublicCredentialCheck result;
            try
            {
                result = await check.CheckCredentialAsync(credential, call.Cancellation);
            }
            catch (ProblemException e) when (e.Type == ProblemType.Validation)
            {
                throw new ProblemException(ProblemType.Validation, texts["NotACredential"]);
            }

            return PageResults.Result(await pages.CheckedAsync(language, result, fromPdf), StatusCodes.Status200OK, cacheable: false);
        }, ErrorPage(req));

    /// <summary>Every failure of a page, the 429 included, is a page in the request's language with the problem's status.</summary>
    private Func<ProblemException, int, Task<IActionResult>> ErrorPage(HttpRequest req) => async (problem, status) =>
        PageResults.Result(await pages.ErrorAsync(PageLanguage.Of(req), status, ProblemDetail(problem)), status, cacheable: false);

    /// <summary>A validation problem's message, or its first field error's (a search query that is too short, say), for the page.</summary>
    private static string? ProblemDetail(ProblemException problem) =>
        problem.Type != ProblemType.Validation ? null
        : problem.Errors.Count == 0 ? problem.Message
        : problem.Errors[0].Message;

    private static string? Optional(HttpRequest req, string name) => req.Query.TryGetValue(name, out var value) ? value.ToString() : null;

    private static async Task<IFormCollection> ReadFormAsync(HttpCall call)
    {
        var req = call.Request;
        if (!MediaTypeHeaderValue.TryParse(req.ContentType, out var type)
            || !(type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) || type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ProblemException(ProblemType.UnsupportedMediaType, "Send the form as multipart/form-data or application/x-www-form-urlencoded.");
        }

        HttpApi.EnsureUncompressed(req);
        if (req.ContentLength > MaxUploadBytes)
        {
            throw new ProblemException(ProblemType.PayloadTooLarge, $"The upload may be at most {MaxUploadBytes} bytes.");
        }

        // Read to the limit before parsing, so a body without (or lying about) its length cannot grow past it.
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await req.Body.ReadAsync(chunk, call.Cancellation)) > 0)
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
            return await req.ReadFormAsync(call.Cancellation);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // The body is already in memory, so an IOException is the form's: a multipart body cut off before its last boundary.
            throw new ProblemException(ProblemType.BadRequest, "The form is malformed or cut off.");
        }
    }
}
