using System.ComponentModel.DataAnnotations;
using ELicence.Core.Verifiers;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ELicence.Functions.Http;

/// <summary>
/// Microsoft Entra ID bearer tokens beside API keys. Off unless both <see cref="Authority"/> and <see cref="Audience"/> are set.
/// </summary>
public sealed class EntraIdOptions : IValidatableObject
{
    public const string Section = "EntraId";

    /// <summary>The tenant's v2.0 authority, e.g. <c>https://login.microsoftonline.com/{tenant-id}/v2.0</c>; its OpenID metadata names the issuer and the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>The API's app registration: its Application ID URI (<c>api://…</c>) or client id, as tokens carry it in <c>aud</c>.</summary>
    public string? Audience { get; set; }

    /// <summary>Metadata and keys only over HTTPS; the tests' local issuer turns this off.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Both set (empty counts as unset, so the settings may be listed empty).</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(Audience);

    public Uri MetadataAddress => new(Authority!.Trim().TrimEnd('/') + "/.well-known/openid-configuration");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Authority) != string.IsNullOrWhiteSpace(Audience))
        {
            yield return new ValidationResult($"{Section}: set both Authority and Audience to accept Entra ID tokens, or neither.", [nameof(Authority), nameof(Audience)]);
        }

        if (!string.IsNullOrWhiteSpace(Authority)
            && (!Uri.TryCreate(Authority.Trim(), UriKind.Absolute, out var authority) || (RequireHttpsMetadata && authority.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult($"{Section}:Authority must be an absolute https URL such as https://login.microsoftonline.com/{{tenant-id}}/v2.0.", [nameof(Authority)]);
        }
    }
}

/// <summary>
/// Validates an Entra ID access token with the standard handler (<see cref="JsonWebTokenHandler"/>; issuer and signing keys from
/// the authority's OpenID metadata through <see cref="ConfigurationManager{T}"/>) and maps it to a caller: the app roles
/// <c>clerk</c> and <c>supervisor</c> (and the older <c>Registrar</c>, a clerk) to the registrar, <c>Verifier</c> to the verifier
/// organisation linked to the token's client (<c>azp</c>, or <c>appid</c> in v1 tokens). A registrar token acts as the person
/// signed in (its <c>sub</c> and <c>name</c>) when it is delegated (it has <c>scp</c>), else as the application. A bad token is
/// 401; a good token of more than one kind of caller, or none, or of a client no organisation is linked to, 403.
/// </summary>
public sealed class EntraIdAuthenticator
{
    /// <summary>The app roles of the API's registration, as they appear in the token's <c>roles</c> claim.</summary>
    public static readonly IReadOnlyDictionary<string, Role> AppRoles = new Dictionary<string, Role>(StringComparer.Ordinal)
    {
        ["clerk"] = Role.Registrar,
        ["supervisor"] = Role.Registrar,
        ["Registrar"] = Role.Registrar,
        ["Verifier"] = Role.Verifier,
    };

    /// <summary>The app role that makes a registrar a supervisor (one who holds it may also hold <c>clerk</c>).</summary>
    public const string SupervisorRole = "supervisor";

    private readonly JsonWebTokenHandler _handler = new();
    private readonly TokenValidationParameters _parameters;
    private readonly VerifierService _verifiers;
    private readonly ILogger<EntraIdAuthenticator> _logger;

    public EntraIdAuthenticator(EntraIdOptions options, VerifierService verifiers, ILogger<EntraIdAuthenticator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _verifiers = verifiers;
        _logger = logger;
        var metadata = new ConfigurationManager<OpenIdConnectConfiguration>(
            options.MetadataAddress.AbsoluteUri,
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever { RequireHttps = options.RequireHttpsMetadata });
        _parameters = new TokenValidationParameters
        {
            ConfigurationManager = metadata,
            ValidAudience = options.Audience,
            ValidateAudience = true,
            ValidateIssuer = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ClockSkew = TimeSpan.FromMinutes(2),
        };
    }

    public async Task<Caller> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        var result = await _handler.ValidateTokenAsync(token, _parameters);
        if (!result.IsValid)
        {
            throw Rejected(result.Exception);
        }

        var roleClaims = result.ClaimsIdentity.FindAll("roles").Select(c => c.Value).ToList();
        var roles = roleClaims.Select(r => AppRoles.GetValueOrDefault(r, (Role)(-1))).Where(r => r >= 0).Distinct().ToList();
        if (roles.Count != 1)
        {
            throw ProblemException.Forbidden(roles.Count == 0
                ? $"The token carries none of this API's app roles ({string.Join(", ", AppRoles.Keys)}); ask the administrator to assign one to the client."
                : "The token carries more than one of this API's app roles; a caller acts in one role, so assign the client only one.");
        }

        var claims = result.Claims;
        var clientId = Claim(claims, "azp") ?? Claim(claims, "appid");
        var principal = Claim(claims, "oid") ?? Claim(claims, "sub") ?? clientId ?? "unknown";
        if (roles[0] == Role.Registrar)
        {
            var registrarRole = roleClaims.Contains(SupervisorRole, StringComparer.Ordinal) ? RegistrarRole.Supervisor : RegistrarRole.Clerk;
            return Caller.Registrar("entra:" + principal, Claim(claims, "name") ?? $"Entra client {clientId}", registrarRole, ActorOf(claims, clientId));
        }

        var organisation = await _verifiers.FindByEntraClientAsync(clientId, cancellationToken)
            ?? throw ProblemException.Forbidden($"The Entra client '{clientId}' is not linked to a verifier organisation; the registrar links it when onboarding the organisation (entraClientId).");
        return Caller.Verifier(organisation.Id, organisation.Name, organisation.Kind);
    }

    /// <summary>
    /// A delegated token (it carries <c>scp</c>) acts for the signed-in person: their <c>sub</c> and <c>name</c> (or
    /// <c>preferred_username</c>); an application token (client credentials) acts for the client.
    /// </summary>
    private static Actor ActorOf(IDictionary<string, object> claims, string? clientId)
    {
        var name = Claim(claims, "name") ?? Claim(claims, "preferred_username");
        if (Claim(claims, "scp") is not null && Claim(claims, "sub") is { } subject)
        {
            return Actor.Person(subject, name ?? subject);
        }

        var client = clientId ?? Claim(claims, "sub") ?? "unknown";
        return Actor.Application(client, name ?? $"Entra client {client}");
    }

    private static string? Claim(IDictionary<string, object> claims, string type) =>
        claims.TryGetValue(type, out var value) && value is string { Length: > 0 } text ? text : null;

    private ProblemException Rejected(Exception? failure)
    {
        var why = failure switch
        {
            SecurityTokenExpiredException => "it has expired",
            SecurityTokenNotYetValidException => "it is not valid yet",
            SecurityTokenInvalidAudienceException => "it is not for this API (aud)",
            SecurityTokenInvalidIssuerException => "it is not from the configured Entra ID tenant (iss)",
            SecurityTokenInvalidAlgorithmException or SecurityTokenInvalidSignatureException => "its signature is missing or not valid",
            SecurityTokenException or ArgumentException => "it is not a well-formed signed JWT",
            _ => null,
        };
        if (why is null)
        {
            // Not the token's fault (the authority's metadata could not be read): the caller may retry.
            _logger.LogError(failure, "Entra ID token validation failed for a reason other than the token");
            return new ProblemException(ProblemType.Internal, "Bearer tokens cannot be checked right now; try again.");
        }

        return new ProblemException(ProblemType.Unauthenticated, $"The bearer token was refused: {why}.");
    }
}
