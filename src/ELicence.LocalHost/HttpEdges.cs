using System.Buffers;
using System.Globalization;
using System.Text;
using ELicence.Core.Problems;
using ELicence.Functions.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ELicence.LocalHost;

/// <summary>
/// What the host itself answers before or around a function — unknown route, wrong method, oversized or malformed headers,
/// an exception that escaped — as RFC 9457 problems written by the same <see cref="ApiResults.Problem"/> as the functions'.
/// </summary>
public static class HttpEdges
{
    /// <summary>Total bytes of header names and values the service accepts; more is a 431 problem.</summary>
    public const int MaxRequestHeadersTotalBytes = 32 * 1024;

    /// <summary>Header fields the service accepts; more is a 431 problem.</summary>
    public const int MaxRequestHeaderCount = 100;

    // Kestrel refuses a request that exceeds its own limits before any application code runs, with a bare status and no body
    // (that response cannot be customised). Its limits are therefore set above the service's, which the guard below enforces
    // with a problem body; only requests beyond Kestrel's higher ceilings still get Kestrel's bare 431.
    private const int KestrelCeilingFactor = 4;

    private static readonly SearchValues<char> PrintableAsciiOrTab = SearchValues.Create(
        "\t !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    public static void ConfigureKestrel(KestrelServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Limits.MaxRequestHeadersTotalSize = KestrelCeilingFactor * MaxRequestHeadersTotalBytes;
        options.Limits.MaxRequestHeaderCount = KestrelCeilingFactor * MaxRequestHeaderCount;
        // Kestrel refuses non-ASCII header bytes with a bare 400; read them as Latin-1 instead so that the guard sees them
        // and refuses them with a problem naming the header.
        options.RequestHeaderEncodingSelector = _ => Encoding.Latin1;
    }

    /// <summary>Adds the guards to the pipeline; call before the function routes are mapped.</summary>
    public static void UseHttpEdges(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HttpEdges));
        app.Use((context, next) => GuardAsync(context, next, logger));
        app.UseStatusCodePages(WriteBareStatusAsync);
    }

    private static async Task GuardAsync(HttpContext context, RequestDelegate next, ILogger logger)
    {
        if ((DotSegmentProblem(context) ?? HeaderProblem(context.Request)) is { } problem)
        {
            await ApiResults.Problem(problem, context.Request).WriteAsync(context);
            return;
        }

        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(e, "Unhandled error in {Method} {Path}", context.Request.Method, context.Request.Path);
            context.Response.Clear();
            await ApiResults.Problem(new ProblemException(ProblemType.Internal, "An unexpected error occurred; try again."), context.Request).WriteAsync(context);
        }
    }

    /// <summary>
    /// Kestrel decodes <c>%2e</c> and then removes dot segments, so <c>/x/%2e%2e/api/v1/licences/…</c> would reach a real
    /// route under another name (and past anything that matches on the path as sent). A target with a dot segment,
    /// encoded or not, is refused: no client that follows RFC 3986 sends one.
    /// </summary>
    private static ProblemException? DotSegmentProblem(HttpContext context)
    {
        var raw = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? "";
        var path = raw.AsSpan(0, raw.IndexOfAny(['?', '#']) is var end and >= 0 ? end : raw.Length);
        foreach (var range in path.Split('/'))
        {
            var segment = path[range];
            if (segment.Length is >= 1 and <= 6 && Uri.UnescapeDataString(segment.ToString()) is "." or "..")
            {
                return new ProblemException(ProblemType.BadRequest, "The request target has a dot segment ('.' or '..', encoded or not); send the path as the API documents it.");
            }
        }

        return null;
    }

    private static ProblemException? HeaderProblem(HttpRequest request)
    {
        var count = 0;
        long bytes = 0;
        foreach (var (name, values) in request.Headers)
        {
            foreach (var value in values)
            {
                count++;
                bytes += name.Length + (value?.Length ?? 0);
                if (value is not null && value.AsSpan().ContainsAnyExcept(PrintableAsciiOrTab))
                {
                    return new ProblemException(ProblemType.BadRequest, $"The value of header '{name}' has bytes outside printable ASCII; header values must be ASCII.");
                }
            }
        }

        if (count > MaxRequestHeaderCount)
        {
            return new ProblemException(ProblemType.HeadersTooLarge, string.Create(CultureInfo.InvariantCulture, $"The request has {count} header fields; at most {MaxRequestHeaderCount} are accepted."));
        }

        return bytes > MaxRequestHeadersTotalBytes
            ? new ProblemException(ProblemType.HeadersTooLarge, string.Create(CultureInfo.InvariantCulture, $"The request headers total {bytes} bytes; at most {MaxRequestHeadersTotalBytes} are accepted."))
            : null;
    }

    /// <summary>A status set without a body (no route, wrong method) gets the problem it stands for.</summary>
    private static Task WriteBareStatusAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        if (ProblemStatus.ForBareStatus(http.Response.StatusCode) is not { } type)
        {
            return Task.CompletedTask;
        }

        var detail = type == ProblemType.NotFound ? $"Nothing is served at '{http.Request.Path}'; the API is described in docs/openapi.yaml."
            : type == ProblemType.MethodNotAllowed ? $"{http.Request.Method} is not allowed here; allowed: {http.Response.Headers.Allow}."
            : type.Title;
        return ApiResults.Problem(new ProblemException(type, detail), http.Request).WriteAsync(http);
    }
}
