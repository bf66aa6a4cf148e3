namespace ELicence.Functions.Http;

/// <summary>
/// One admitted request as a function body sees it: the authenticated caller (none on an endpoint for anyone), the request's
/// cancellation, and the body and query read under the endpoint's declared limits.
/// </summary>
public sealed class HttpCall(HttpRequest request, Caller? caller, EndpointAttribute endpoint)
{
    private string? _cacheControl = CacheControl.Of(endpoint.Cache);

    public HttpRequest Request => request;

    public Caller Caller => caller ?? throw new InvalidOperationException("An endpoint for anyone has no caller.");

    /// <summary>Cancelled when the client goes away.</summary>
    public CancellationToken Cancellation => request.HttpContext.RequestAborted;

    /// <summary>The JSON body, at most the endpoint's <see cref="EndpointAttribute.MaxBody"/> (<see cref="HttpApi.ReadJsonAsync{T}(HttpRequest, int)"/>).</summary>
    public Task<T> ReadJsonAsync<T>()
        where T : class => HttpApi.ReadJsonAsync<T>(request, endpoint.MaxBody);

    /// <summary>A query parameter given at most once (<see cref="HttpApi.QueryOnce"/>).</summary>
    public string? Query(string name) => HttpApi.QueryOnce(request, name);

    /// <summary>Public for <paramref name="maxAge"/> instead of the declared policy: a lifetime that comes from settings or from the answer.</summary>
    public void CacheFor(TimeSpan maxAge) => _cacheControl = CacheControl.PublicFor(maxAge);

    /// <summary>Sets the declared headers on the response, once the function has answered.</summary>
    internal void ApplyDeclaredHeaders()
    {
        var headers = request.HttpContext.Response.Headers;
        if (_cacheControl is not null)
        {
            headers.CacheControl = _cacheControl;
        }

        if (endpoint.Cors)
        {
            headers.AccessControlAllowOrigin = "*";
        }
    }
}
