using System.Text.Json;
using ELicence.Core.Callers;
using ELicence.Core.Problems;
using ELicence.Core.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace ELicence.Functions.Http;

/// <summary>
/// The one place where HTTP functions authenticate, check roles, read JSON bodies and turn failures into RFC 9457 problems.
/// It runs inside the function (not as worker middleware) so that the Functions host and the local host behave the same.
/// </summary>
public sealed class HttpApi(ICallerAuthenticator authenticator, ILogger<HttpApi> logger)
{
    /// <summary>Bodies larger than this are refused with 413 before they are parsed.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public Task<IActionResult> RunAsync(HttpRequest request, IReadOnlyCollection<Role> roles, Func<Caller, Task<IActionResult>> action) =>
        GuardAsync(request, async () =>
        {
            var caller = await authenticator.AuthenticateAsync(request, request.HttpContext.RequestAborted)
                ?? throw new ProblemException(ProblemType.Unauthenticated, $"Send a valid API key in the {ApiKeyAuthenticator.Header} header.");
            if (!roles.Contains(caller.Role))
            {
                throw ProblemException.Forbidden($"This endpoint is for: {string.Join(", ", roles)}; the caller is a {caller.Role}.");
            }

            return await action(caller);
        });

    public Task<IActionResult> RunAnonymousAsync(HttpRequest request, Func<Task<IActionResult>> action) => GuardAsync(request, action);

    /// <summary>Reads a JSON body: JSON content type, at most <see cref="MaxBodyBytes"/>, well-formed, members of the right type.</summary>
    public static async Task<T> ReadJsonAsync<T>(HttpRequest request)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !(mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ProblemException(ProblemType.UnsupportedMediaType, $"Send the body as application/json; got '{request.ContentType ?? "no content type"}'.");
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            throw TooLarge();
        }

        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                throw TooLarge();
            }
        }

        try
        {
            return ElicenceJson.Deserialize<T>(buffer.ToArray()) ?? throw new ProblemException(ProblemType.MalformedJson, "The body is empty or null; send a JSON object.");
        }
        catch (JsonException e) when (e.Path is { Length: > 2 } path && e.InnerException is not JsonException)
        {
            // A member of the wrong type or with an unknown value: name it, as for any other invalid field.
            throw ProblemException.Invalid(path.TrimStart('$', '.'), "Has the wrong type or an unknown value.");
        }
        catch (JsonException e)
        {
            throw new ProblemException(ProblemType.MalformedJson, $"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }
    }

    private static ProblemException TooLarge() => new(ProblemType.PayloadTooLarge, $"The body may be at most {MaxBodyBytes} bytes.");

    private async Task<IActionResult> GuardAsync(HttpRequest request, Func<Task<IActionResult>> action)
    {
        try
        {
            return await action();
        }
        catch (ProblemException problem)
        {
            return ApiResults.Problem(problem, request);
        }
        catch (OperationCanceledException) when (request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return new StatusCodeResult(499);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Unhandled error in {Method} {Path}", request.Method, request.Path);
            return ApiResults.Problem(new ProblemException(ProblemType.Internal, "An unexpected error occurred; nothing was changed unless the response says so. Try again."), request);
        }
    }
}
