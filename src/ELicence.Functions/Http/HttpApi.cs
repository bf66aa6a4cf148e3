using System.Globalization;
using ELicence.Storage;
using Microsoft.Net.Http.Headers;

namespace ELicence.Functions.Http;

/// <summary>
/// The one place where HTTP functions authenticate, check roles, read JSON bodies and turn failures into RFC 9457 problems.
/// It runs inside the function (not as worker middleware) so that the Functions host and the local host behave the same;
/// functions reach it through <see cref="HttpApi{TFunctions}"/>, which finds their <see cref="EndpointAttribute"/>.
/// </summary>
public sealed class HttpApi(ICallerAuthenticator authenticator, ClientRateLimiter rateLimiter, EntraIdOptions entraId, HttpDiagnosticsOptions diagnostics, ILogger<HttpApi> logger)
{
    /// <summary>The response header that reports the request's storage round trips, when <see cref="HttpDiagnosticsOptions.StorageRoundTripsHeader"/> is on.</summary>
    public const string StorageRoundTripsHeader = "ELicence-Storage-Round-Trips";

    /// <summary>Bodies larger than this are refused with 413 before they are parsed.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>The limit of a batch verification's body instead: 500 credentials of up to about 4 KiB each.</summary>
    public const int MaxBatchBodyBytes = 2 * 1024 * 1024;

    /// <summary>
    /// Runs <paramref name="action"/> as <paramref name="endpoint"/> declares: authenticates the caller (unless the endpoint is
    /// for anyone), takes a permit of its rate-limit policy (<paramref name="rate"/>, when given, instead of the declared one),
    /// checks the role, and sets the declared headers on the answer. Every failure becomes a problem, or
    /// <paramref name="errorPage"/>'s page with the problem's status where there is one.
    /// </summary>
    public Task<IActionResult> RunAsync(
        HttpRequest request,
        EndpointAttribute endpoint,
        Func<HttpCall, Task<IActionResult>> action,
        Func<ProblemException, int, Task<IActionResult>>? errorPage = null,
        RatePolicy? rate = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(action);
        return GuardAsync(request, async () =>
        {
            var caller = await AdmitAsync(request, endpoint, rate);
            var call = new HttpCall(request, caller, endpoint);
            var result = await action(call);
            call.ApplyDeclaredHeaders();
            return result;
        }, errorPage);
    }

    private async Task<Caller?> AdmitAsync(HttpRequest request, EndpointAttribute endpoint, RatePolicy? rate)
    {
        if (endpoint.Access == Access.Anyone)
        {
            rateLimiter.Admit(rate ?? endpoint.Rate, request);
            return null;
        }

        var caller = await authenticator.AuthenticateAsync(request, request.HttpContext.RequestAborted)
            ?? throw new ProblemException(ProblemType.Unauthenticated, CallerAuthenticator.Expected(entraId));
        // Before the role check: a caller probing endpoints it may not use spends its own permits too.
        rateLimiter.Admit(rate ?? endpoint.DeclaredRate ?? RateLimitOptions.PolicyOf(caller.Role), caller, request);
        var roles = endpoint.Access.Roles();
        if (!roles.Contains(caller.Role))
        {
            throw ProblemException.Forbidden($"This endpoint is for: {string.Join(", ", roles)}; the caller is a {caller.Role}.");
        }

        return caller;
    }

    /// <summary>A query parameter given at most once (a repeated one is ambiguous, so refused naming it).</summary>
    public static string? QueryOnce(HttpRequest request, string name)
    {
        ArgumentNullException.ThrowIfNull(request);
        var values = request.Query[name];
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw ProblemException.Invalid(name, "Give this parameter once."),
        };
    }

    /// <summary>Reads a JSON body: JSON content type, at most <see cref="MaxBodyBytes"/>, well-formed, only documented members of the documented types (<see cref="RequestJson"/>).</summary>
    public static Task<T> ReadJsonAsync<T>(HttpRequest request)
        where T : class => ReadJsonAsync<T>(request, MaxBodyBytes);

    /// <summary>Reads a JSON body of at most <paramref name="maxBodyBytes"/>, as <see cref="ReadJsonAsync{T}(HttpRequest)"/> does.</summary>
    public static async Task<T> ReadJsonAsync<T>(HttpRequest request, int maxBodyBytes)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !(mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ProblemException(ProblemType.UnsupportedMediaType, $"Send the body as application/json; got '{request.ContentType ?? "no content type"}'.");
        }

        if (request.ContentLength > maxBodyBytes)
        {
            throw TooLarge(maxBodyBytes);
        }

        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBodyBytes)
            {
                throw TooLarge(maxBodyBytes);
            }
        }

        return RequestJson.Read<T>(buffer.ToArray());
    }

    private static ProblemException TooLarge(int maxBodyBytes) =>
        new(ProblemType.PayloadTooLarge, $"The body may be at most {maxBodyBytes} bytes.", extensions: new Dictionary<string, object?> { ["limit"] = maxBodyBytes });

    private async Task<IActionResult> GuardAsync(HttpRequest request, Func<Task<IActionResult>> action, Func<ProblemException, int, Task<IActionResult>>? errorPage = null)
    {
        using var roundTrips = StorageRoundTrips.Begin();
        var result = await AnswerAsync(request, action, errorPage);
        if (diagnostics.StorageRoundTripsHeader)
        {
            request.HttpContext.Response.Headers[StorageRoundTripsHeader] = roundTrips.Count.ToString(CultureInfo.InvariantCulture);
        }

        return result;
    }

    private async Task<IActionResult> AnswerAsync(HttpRequest request, Func<Task<IActionResult>> action, Func<ProblemException, int, Task<IActionResult>>? errorPage)
    {
        try
        {
            return await action();
        }
        catch (ProblemException problem)
        {
            return errorPage is null ? ApiResults.Problem(problem, request) : await ErrorPage(problem, errorPage);
        }
        catch (OperationCanceledException) when (request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return new StatusCodeResult(499);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Unhandled error in {Method} {Path}", request.Method, request.Path);
            var problem = new ProblemException(ProblemType.Internal, "An unexpected error occurred; nothing was changed unless the response says so. Try again.");
            return errorPage is null ? ApiResults.Problem(problem, request) : await ErrorPage(problem, errorPage);
        }
    }

    // The rate limiter has already put Retry-After and the RateLimit fields on the response; the page keeps them.
    private static Task<IActionResult> ErrorPage(ProblemException problem, Func<ProblemException, int, Task<IActionResult>> errorPage) =>
        errorPage(problem, ProblemStatus.Of(problem.Type));
}

/// <summary>Development diagnostics (section <c>Diagnostics</c>); all off unless set.</summary>
public sealed class HttpDiagnosticsOptions
{
    public const string Section = "Diagnostics";

    /// <summary>Report each API request's storage round trips in a response header (local runs, tests and the load script).</summary>
    public bool StorageRoundTripsHeader { get; set; }
}
