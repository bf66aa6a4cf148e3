using System.Diagnostics;
using System.Text;

namespace ELicence.Functions.Http;

/// <summary>
/// Results that write their own bytes with the service's JSON options, so a response is the same under the Functions host
/// and the local host (neither depends on MVC formatters).
/// </summary>
public sealed class BodyResult(int status, string contentType, byte[] body, IReadOnlyDictionary<string, string>? headers = null) : IActionResult
{
    public int Status => status;

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return WriteAsync(context.HttpContext);
    }

    /// <summary>Writes the response directly, for code that runs outside MVC (the local host's own error responses).</summary>
    public async Task WriteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.Headers.XContentTypeOptions = "nosniff";
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }

        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, httpContext.RequestAborted);
    }
}

public static class ApiResults
{
    public const string ProblemContentType = "application/problem+json";

    public static BodyResult Json<T>(T value, int status = StatusCodes.Status200OK, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, "application/json; charset=utf-8", ElicenceJson.SerializeToUtf8(value), headers);

    public static BodyResult Text(string text, string contentType, IReadOnlyDictionary<string, string>? headers = null) =>
        new(StatusCodes.Status200OK, contentType, Encoding.UTF8.GetBytes(text), headers);

    /// <summary>
    /// RFC 9457 problem details: type, title, status, detail, instance, traceId, and the invalid fields where there are any.
    /// Every problem of the service, from a function or from the host itself, is written here.
    /// </summary>
    public static BodyResult Problem(ProblemException problem, HttpRequest request, IReadOnlyDictionary<string, string>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(request);
        var body = ProblemBody(problem, request.Path.Value, TraceId(request));
        var allHeaders = new Dictionary<string, string>(headers ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
        if (problem.Type == ProblemType.Unauthenticated)
        {
            allHeaders["WWW-Authenticate"] = $"ApiKey header=\"{ApiKeyAuthenticator.Header}\"";
        }

        return new BodyResult(ProblemStatus.Of(problem.Type), ProblemContentType, ElicenceJson.SerializeToUtf8(body), allHeaders);
    }

    /// <summary>The RFC 9457 members of a problem, for a response body or for a problem inside a larger answer (a batch item).</summary>
    public static Dictionary<string, object?> ProblemBody(ProblemException problem, string? instance, string? traceId)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var body = new Dictionary<string, object?>
        {
            ["type"] = problem.Type.Uri,
            ["title"] = problem.Type.Title,
            ["status"] = ProblemStatus.Of(problem.Type),
            ["detail"] = problem.Message,
        };
        if (instance is not null)
        {
            body["instance"] = instance;
        }

        if (traceId is not null)
        {
            body["traceId"] = traceId;
        }

        if (problem.Errors.Count > 0)
        {
            body["errors"] = problem.Errors;
        }

        foreach (var (key, value) in problem.Extensions)
        {
            body[key] = value;
        }

        return body;
    }

    /// <summary>
    /// The W3C trace id that ties a problem to the logs: the caller's own (from a valid <c>traceparent</c> header), else the
    /// current activity's, else a new one.
    /// </summary>
    public static string TraceId(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers.TryGetValue("traceparent", out var values) && values.Count == 1
            && ActivityContext.TryParse(values[0], null, out var context))
        {
            return context.TraceId.ToHexString();
        }

        return Activity.Current is { } activity && activity.IdFormat == ActivityIdFormat.W3C
            ? activity.TraceId.ToHexString()
            : ActivityTraceId.CreateRandom().ToHexString();
    }
}
