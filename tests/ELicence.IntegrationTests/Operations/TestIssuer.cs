using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace ELicence.IntegrationTests.Operations;

/// <summary>
/// A stand-in for an Entra ID tenant on a loopback port: its OpenID configuration and JWKS as Entra serves them (v2.0
/// paths), and access tokens signed with its RSA key by the standard token handler.
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    public const string Tenant = "7f3c8e2a-5b1d-4c9e-a0f6-2d4b8e1c3a57";
    public const string Audience = "api://elicence-test";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RSA _stranger = RSA.Create(2048);
    private readonly WebApplication _app;

    private TestIssuer(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    private string Address { get; }

    /// <summary>The tenant's authority, as <c>EntraId:Authority</c> is set to.</summary>
    public string Authority => $"{Address}/{Tenant}/v2.0";

    public static TestIssuer Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        TestIssuer? issuer = null; // the handlers run only after Start has made it
        app.MapGet($"/{Tenant}/v2.0/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer!.Authority,
            ["jwks_uri"] = $"{issuer.Address}/{Tenant}/discovery/v2.0/keys",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["token_endpoint"] = $"{issuer.Address}/{Tenant}/oauth2/v2.0/token",
        }));
        app.MapGet($"/{Tenant}/discovery/v2.0/keys", () =>
        {
            var key = issuer!._rsa.ExportParameters(false);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", kid = "test-key", alg = "RS256", n = Base64UrlEncoder.Encode(key.Modulus), e = Base64UrlEncoder.Encode(key.Exponent) } } });
        });
        app.Start();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        issuer = new TestIssuer(app, address);
        return issuer;
    }

    /// <summary>An access token as Entra issues to a client (client credentials): <c>roles</c> from the app roles assigned to it.</summary>
    public string Token(TokenSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["azp"] = spec.ClientId,
            ["oid"] = spec.ObjectId,
            ["tid"] = Tenant,
            ["ver"] = "2.0",
        };
        if (spec.Roles.Length > 0)
        {
            claims["roles"] = spec.Roles;
        }

        if (spec.Person is { } person)
        {
            // A delegated token, as Entra issues to an app acting for a signed-in user: scp, sub and name.
            claims["scp"] = "access_as_user";
            claims["sub"] = person.Subject;
            claims["name"] = person.Name;
        }

        var key = new RsaSecurityKey(spec.SignedByStranger ? _stranger : _rsa) { KeyId = "test-key" };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = spec.Issuer ?? Authority,
            Audience = spec.Audience ?? Audience,
            IssuedAt = now + spec.Shift - TimeSpan.FromMinutes(1),
            NotBefore = now + spec.Shift - TimeSpan.FromMinutes(1),
            Expires = now + spec.Shift + TimeSpan.FromHours(1),
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>The same claims unsigned (<c>alg: none</c>, empty signature), as an attacker would send them.</summary>
    public string UnsignedToken(TokenSpec spec)
    {
        var signed = new JsonWebToken(Token(spec));
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        return $"{header}.{signed.EncodedPayload}.";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _rsa.Dispose();
        _stranger.Dispose();
    }
}

/// <summary>What a test token says; each property defaults to a valid Verifier token of <see cref="ClientId"/>.</summary>
public sealed record TokenSpec(string ClientId, params string[] Roles)
{
    public string ObjectId { get; init; } = Guid.NewGuid().ToString("D");

    public string? Issuer { get; init; }

    public string? Audience { get; init; }

    /// <summary>Moves the token's whole validity window (iat/nbf/exp) by this much from now.</summary>
    public TimeSpan Shift { get; init; }

    public bool SignedByStranger { get; init; }

    /// <summary>A user the token is delegated for (its <c>sub</c> and <c>name</c>); none for a client-credentials token.</summary>
    public (string Subject, string Name)? Person { get; init; }
}
