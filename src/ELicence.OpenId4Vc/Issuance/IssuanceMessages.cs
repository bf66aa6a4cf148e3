using System.Text.Json;
using System.Text.Json.Serialization;

namespace ELicence.OpenId4Vc.Issuance;

/// <summary>The Token Response (RFC 6749 §5.1, OpenID4VCI 1.0 §6.2).</summary>
public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn);

/// <summary>The Nonce Response (OpenID4VCI 1.0 §7.2).</summary>
public sealed record NonceResponse(string CNonce);

/// <summary>The Credential Request (OpenID4VCI 1.0 §8.2) as received: members checked by the issuer, not by the parser.</summary>
public sealed record CredentialRequest(
    string? CredentialConfigurationId,
    string? CredentialIdentifier,
    CredentialRequestProofs? Proofs,
    JsonElement? Proof,
    JsonElement? CredentialResponseEncryption);

/// <summary>The <c>proofs</c> object: one key proof per credential asked for.</summary>
public sealed record CredentialRequestProofs(IReadOnlyList<string>? Jwt);

/// <summary>The Credential Response (OpenID4VCI 1.0 §8.3): one entry per key proof.</summary>
public sealed record CredentialResponse(IReadOnlyList<IssuedCredential> Credentials, string? NotificationId);

public sealed record IssuedCredential(string Credential);

/// <summary>The Notification Request (OpenID4VCI 1.0 §11.1).</summary>
public sealed record NotificationRequest(string? NotificationId, string? Event, string? EventDescription)
{
    public static IReadOnlyList<string> Events { get; } = ["credential_accepted", "credential_failure", "credential_deleted"];
}

/// <summary>Credential Issuer Metadata (OpenID4VCI 1.0 §12.2.4) for issuers of SD-JWT VCs with <c>jwt</c> key proofs.</summary>
public sealed record CredentialIssuerMetadata(
    string CredentialIssuer,
    IReadOnlyList<string> AuthorizationServers,
    string CredentialEndpoint,
    string NonceEndpoint,
    string NotificationEndpoint,
    BatchCredentialIssuance BatchCredentialIssuance,
    IReadOnlyList<IssuerDisplay> Display,
    IReadOnlyDictionary<string, CredentialConfiguration> CredentialConfigurationsSupported);

public sealed record BatchCredentialIssuance(int BatchSize);

public sealed record IssuerDisplay(string Name, string Locale);

/// <summary>One credential configuration: format <c>dc+sd-jwt</c> (Appendix A.3), its <c>vct</c>, binding and proofs.</summary>
public sealed record CredentialConfiguration(
    string Format,
    string Vct,
    string Scope,
    IReadOnlyList<string> CryptographicBindingMethodsSupported,
    IReadOnlyList<string> CredentialSigningAlgValuesSupported,
    IReadOnlyDictionary<string, ProofTypeSupported> ProofTypesSupported,
    CredentialMetadata CredentialMetadata);

public sealed record ProofTypeSupported(IReadOnlyList<string> ProofSigningAlgValuesSupported);

/// <summary>How a wallet shows the credential and its claims (OpenID4VCI 1.0 §12.2.4 <c>credential_metadata</c>).</summary>
public sealed record CredentialMetadata(IReadOnlyList<IssuerDisplay> Display, IReadOnlyList<ClaimDescription> Claims);

public sealed record ClaimDescription(IReadOnlyList<string> Path, IReadOnlyList<IssuerDisplay> Display);

/// <summary>Authorization Server Metadata (RFC 8414) of an issuer that offers only the pre-authorised code grant.</summary>
public sealed record AuthorizationServerMetadata(
    string Issuer,
    string TokenEndpoint,
    IReadOnlyList<string> GrantTypesSupported,
    IReadOnlyList<string> TokenEndpointAuthMethodsSupported,
    [property: JsonPropertyName("pre-authorized_grant_anonymous_access_supported")] bool PreAuthorizedGrantAnonymousAccessSupported);
