using ELicence.Documents;
using ELicence.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ELicence.Functions.Documents;

/// <summary>The licence as the business hands it over: the QR code of its verification link and the printable PDF.</summary>
public sealed class DocumentFunctions(HttpApi<DocumentFunctions> api, LicenceDocuments documents)
{
    /// <summary>PNG by default, SVG with <c>?format=svg</c>.</summary>
    [Function("GetLicenceQr")]
    [Endpoint(Access.RegistrarOrHolder, Cache = CachePolicy.PrivateNoStore)]
    public Task<IActionResult> GetQr([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/licences/{code}/qr")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
        {
            var format = req.Query["format"].ToString();
            if (format is not ("" or "png" or "svg"))
            {
                throw Core.Problems.ProblemException.Invalid("format", "png (the default) or svg.");
            }

            return File(await documents.GetQrAsync(call.Caller, code, format == "svg", call.Cancellation), inline: true);
        });

    /// <summary>The current version only; each download is recorded.</summary>
    [Function("GetLicencePdf")]
    [Endpoint(Access.RegistrarOrHolder, Cache = CachePolicy.PrivateNoStore)]
    public Task<IActionResult> GetPdf([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/licences/{code}/pdf")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
            File(await documents.GetPdfAsync(call.Caller, code, call.Cancellation), inline: false));

    private static BodyResult File(RenderedDocument document, bool inline) =>
        new(StatusCodes.Status200OK, document.MediaType, document.Content, new Dictionary<string, string>
        {
            ["Content-Disposition"] = $"{(inline ? "inline" : "attachment")}; filename=\"{document.FileName}\"",
        });
}
