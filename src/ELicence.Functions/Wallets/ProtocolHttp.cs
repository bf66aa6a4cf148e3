using System.Text.Json;
using ELicence.OpenId4Vc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace ELicence.Functions.Wallets;

/// <summary>
/// HTTP for the OpenID4VC protocol endpoints: their bodies (form or snake_case JSON, at most <see cref="MaxBodyBytes"/>)
/// and their errors as the protocols define them (<c>{"error", "error_description"}</c>, RFC 6750 challenges), never
/// problem+json. Authentication, rate limits, cache headers and unexpected failures stay with the declared guard (<see cref="HttpApi"/>).
/// </summary>
public static class ProtocolHttp
{
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Runs a protocol step, answering an <see cref="OAuthException"/> as the protocol's error response.</summary>
    public static async Task<IActionResult> AnswerAsync(Func<Task<IActionResult>> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        try
        {
            return await step();
        }
        catch (OAuthException e)
        {
            var headers = new Dictionary<string, string>();
            if (e.Status == StatusCodes.Status401Unauthorized)
            {
                headers["WWW-Authenticate"] = $"Bearer error=\"{e.Error}\"";
            }

            return new BodyResult(e.Status, "application/json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(e.Body, OpenId4VcJson.Options), headers);
        }
    }

    /// <summary>A protocol message in the protocol's snake_case (the endpoint declares its cache headers).</summary>
    public static BodyResult Json<T>(T value, int status = StatusCodes.Status200OK) =>
        new(status, "application/json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(value, OpenId4VcJson.Options));

    /// <summary>The bearer access token of the Authorization header (RFC 6750 §2.1), or null.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    /// <summary>An <c>application/x-www-form-urlencoded</c> body (RFC 6749 §4.1.3); a parameter given twice is refused.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ReadFormAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            throw OAuthException.InvalidRequest("Send the body as application/x-www-form-urlencoded.");
        }

        var fields = QueryHelpers.ParseQuery("?" + System.Text.Encoding.UTF8.GetString(await ReadBodyAsync(request)));
        if (fields.FirstOrDefault(f => f.Value.Count != 1) is { Key: { } repeated })
        {
            throw OAuthException.InvalidRequest($"The parameter '{repeated}' is given more than once.");
        }

        return fields.ToDictionary(f => f.Key, f => f.Value[0]!, StringComparer.Ordinal);
    }

    /// <summary>A JSON body in the protocol's snake_case; malformed JSON is <paramref name="error"/>.</summary>
    public static async Task<T> ReadJsonAsync<T>(HttpRequest request, string error)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new OAuthException(error, "Send the body as application/json.");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(await ReadBodyAsync(request), OpenId4VcJson.Options) ?? throw new OAuthException(error, "The body is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new OAuthException(error, "The body is not the JSON this endpoint takes: " + e.Message.Split('.')[0] + ".");
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        var tooLarge = new OAuthException(OAuthErrors.InvalidRequest, $"The body may be at most {MaxBodyBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
        if (request.ContentLength > MaxBodyBytes)
        {
            throw tooLarge;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                throw tooLarge;
            }
        }

        return buffer.ToArray();
    }
}
