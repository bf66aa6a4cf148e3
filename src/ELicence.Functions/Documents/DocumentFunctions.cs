using ELicence.Documents;
using ELicence.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ELicence.Functions.Documents;

/// <summary>The licence as the business hands it over: the QR code of its verification link and the printable PDF.</summary>
public sealed class DocumentFunctions(HttpApi api, LicenceDocuments documents)
{
    /// <summary>PNG by default, SVG with <c>?format=svg</c>.</summary>
    [Function("GetLicenceQr")]
    public Task<IActionResult> GetQr([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/licences/{code}/qr")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.RegistrarOrHolder, async caller =>
        {
            var format = req.Query["format"].ToString();
            if (format is not ("" or "png" or "svg"))
            {
                throw Core.Problems.ProblemException.Invalid("format", "png (the default) or svg.");
            }

            return File(await documents.GetQrAsync(caller, code, format == "svg", req.HttpContext.RequestAborted), inline: true);
        });

    /// <summary>The current version only; each download is recorded.</summary>
    [Function("GetLicencePdf")]
    public Task<IActionResult> GetPdf([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/licences/{code}/pdf")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.RegistrarOrHolder, async caller =>
            File(await documents.GetPdfAsync(caller, code, req.HttpContext.RequestAborted), inline: false));

    private static BodyResult File(RenderedDocument document, bool inline) =>
        new(StatusCodes.Status200OK, document.MediaType, document.Content, new Dictionary<string, string>
        {
            ["Cache-Control"] = "private, no-store",
            ["Content-Disposition"] = $"{(inline ? "inline" : "attachment")}; filename=\"{document.FileName}\"",
        });
}
