using Microsoft.Extensions.DependencyInjection;

namespace ELicence.Functions.Http;

/// <summary>Who is calling: null when no valid credential was sent; a <see cref="ProblemException"/> when one was sent and refused with a reason.</summary>
public interface ICallerAuthenticator
{
    Task<Caller?> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// An API key (<see cref="ApiKeyAuthenticator.Header"/>) or, where Entra ID is configured, an <c>Authorization: Bearer</c>
/// token; a request with both is refused, so it is never unclear who acted.
/// </summary>
public sealed class CallerAuthenticator(ApiKeyAuthenticator apiKeys, EntraIdOptions entraId, IServiceProvider services) : ICallerAuthenticator
{
    private const string BearerPrefix = "Bearer ";

    /// <summary>What a 401 tells the caller to send.</summary>
    public static string Expected(EntraIdOptions entraId)
    {
        ArgumentNullException.ThrowIfNull(entraId);
        return entraId.Enabled
            ? $"Send a valid API key in the {ApiKeyAuthenticator.Header} header or a Microsoft Entra ID access token as Authorization: Bearer."
            : $"Send a valid API key in the {ApiKeyAuthenticator.Header} header.";
    }

    public Task<Caller?> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorization = request.Headers.Authorization;
        if (authorization.Count == 0)
        {
            return apiKeys.AuthenticateAsync(request, cancellationToken);
        }

        if (request.Headers.ContainsKey(ApiKeyAuthenticator.Header))
        {
            throw new ProblemException(ProblemType.Unauthenticated, $"Send either an API key ({ApiKeyAuthenticator.Header}) or an Authorization header, not both.");
        }

        if (!entraId.Enabled)
        {
            throw new ProblemException(ProblemType.Unauthenticated, $"This deployment does not accept bearer tokens. {Expected(entraId)}");
        }

        if (authorization.Count != 1 || authorization[0] is not { } value || !value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) || value.Length == BearerPrefix.Length)
        {
            throw new ProblemException(ProblemType.Unauthenticated, "Send one Authorization header of the form: Bearer <access token>.");
        }

        return AuthenticateBearerAsync(value[BearerPrefix.Length..].Trim(), cancellationToken);
    }

    private async Task<Caller?> AuthenticateBearerAsync(string token, CancellationToken cancellationToken) =>
        await services.GetRequiredService<EntraIdAuthenticator>().AuthenticateAsync(token, cancellationToken);
}

public sealed class ApiKeyAuthenticator(ApiKeyService keys) : ICallerAuthenticator
{
    public const string Header = "X-API-Key";

    public Task<Caller?> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var values = request.Headers[Header];
        return values.Count == 1 ? keys.AuthenticateAsync(values[0], cancellationToken) : Task.FromResult<Caller?>(null);
    }
}
