using Microsoft.AspNetCore.Connections;

namespace ELicence.Functions.Http;

/// <summary>
/// Failures a client causes below the API: a body that breaks HTTP (an invalid chunk, fewer bytes than its
/// Content-Length, data arriving slower than the server's minimum rate) or a client that goes away mid-request. They are
/// the client's doing, so they are answered as the client's errors (400, 408, 413) and logged below Error: a client must
/// not be able to raise the service's alerts on demand.
/// </summary>
public static class ClientFailures
{
    /// <summary>
    /// Whether <paramref name="exception"/> is the client's doing; then <paramref name="problem"/> is its answer, or null when
    /// the client is gone and there is nobody to answer.
    /// </summary>
    public static bool IsClientFailure(Exception exception, HttpRequest request, out ProblemException? problem)
    {
        ArgumentNullException.ThrowIfNull(request);
        problem = exception is BadHttpRequestException bad ? new ProblemException(TypeOf(bad.StatusCode), Detail(bad)) : null;
        return problem is not null
            || exception is ConnectionResetException
            || (exception is OperationCanceledException or IOException && request.HttpContext.RequestAborted.IsCancellationRequested);
    }

    private static ProblemType TypeOf(int status) => status switch
    {
        StatusCodes.Status408RequestTimeout => ProblemType.RequestTimeout,
        StatusCodes.Status413PayloadTooLarge => ProblemType.PayloadTooLarge,
        StatusCodes.Status431RequestHeaderFieldsTooLarge => ProblemType.HeadersTooLarge,
        _ => ProblemType.BadRequest,
    };

    // The web server's own words ("Unexpected end of request content.", "Bad chunk size data.") name the fault exactly.
    private static string Detail(BadHttpRequestException bad) => bad.StatusCode == StatusCodes.Status408RequestTimeout
        ? "The request body arrived too slowly (below the server's minimum data rate); send it again."
        : $"The request body is not valid HTTP: {bad.Message}";
}
