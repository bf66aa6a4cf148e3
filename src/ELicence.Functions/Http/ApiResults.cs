using System.Text;
using ELicence.Core.Problems;
using ELicence.Core.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace ELicence.Functions.Http;

/// <summary>
/// Results that write their own bytes with the service's JSON options, so a response is the same under the Functions host
/// and the local host (neither depends on MVC formatters).
/// </summary>
public sealed class BodyResult(int status, string contentType, byte[] body, IReadOnlyDictionary<string, string>? headers = null) : IActionResult
{
    public int Status => status;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.Headers.XContentTypeOptions = "nosniff";
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }

        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.HttpContext.RequestAborted);
    }
}

public static class ApiResults
{
    public const string ProblemContentType = "application/problem+json";

    public static BodyResult Json<T>(T value, int status = StatusCodes.Status200OK, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, "application/json; charset=utf-8", ElicenceJson.SerializeToUtf8(value), headers);

    public static BodyResult Text(string text, string contentType, IReadOnlyDictionary<string, string>? headers = null) =>
        new(StatusCodes.Status200OK, contentType, Encoding.UTF8.GetBytes(text), headers);

    /// <summary>RFC 9457 problem details: type, title, status, detail, instance, and the invalid fields where there are any.</summary>
    public static BodyResult Problem(ProblemException problem, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(request);
        var body = new Dictionary<string, object?>
        {
            ["type"] = problem.Type.Uri,
            ["title"] = problem.Type.Title,
            ["status"] = problem.Type.Status,
            ["detail"] = problem.Message,
            ["instance"] = request.Path.Value,
        };
        if (problem.Errors.Count > 0)
        {
            body["errors"] = problem.Errors;
        }

        foreach (var (key, value) in problem.Extensions)
        {
            body[key] = value;
        }

        var headers = problem.Type == ProblemType.Unauthenticated
            ? new Dictionary<string, string> { ["WWW-Authenticate"] = $"ApiKey header=\"{ApiKeyAuthenticator.Header}\"" }
            : null;
        return new BodyResult(problem.Type.Status, ProblemContentType, ElicenceJson.SerializeToUtf8(body), headers);
    }
}
