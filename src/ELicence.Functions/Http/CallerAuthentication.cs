namespace ELicence.Functions.Http;

/// <summary>
/// Who is calling. API keys locally and in tests; in Azure a Microsoft Entra ID implementation (bearer token, app roles
/// Registrar/Verifier/Holder, holder bound to a credit-code claim) replaces this registration without touching the functions.
/// </summary>
public interface ICallerAuthenticator
{
    Task<Caller?> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken);
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

/// <summary>Which roles an endpoint admits.</summary>
public static class Access
{
    public static readonly Role[] Registrar = [Role.Registrar];
    public static readonly Role[] Verifier = [Role.Verifier];
    public static readonly Role[] Holder = [Role.Holder];
    public static readonly Role[] RegistrarOrHolder = [Role.Registrar, Role.Holder];
    public static readonly Role[] RegistrarOrVerifier = [Role.Registrar, Role.Verifier];

    /// <summary>
    /// Onboarding verifier organisations and managing their keys. The registrar (the market regulation bureau) decides who
    /// relies on its register; an administrator role, if one is ever needed, is added here and nowhere else.
    /// </summary>
    public static readonly Role[] VerifierAdministration = [Role.Registrar];
}
