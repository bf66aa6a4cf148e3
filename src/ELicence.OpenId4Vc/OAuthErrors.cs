namespace ELicence.OpenId4Vc;

/// <summary>The error codes of RFC 6749, RFC 6750, OpenID4VCI 1.0 §6.3, §8.3.1 and §11.3, and OpenID4VP 1.0 §8.5.</summary>
public static class OAuthErrors
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidGrant = "invalid_grant";
    public const string UnsupportedGrantType = "unsupported_grant_type";
    public const string InvalidClient = "invalid_client";
    public const string InvalidToken = "invalid_token";
    public const string InvalidProof = "invalid_proof";
    public const string InvalidNonce = "invalid_nonce";
    public const string UnknownCredentialConfiguration = "unknown_credential_configuration";
    public const string InvalidCredentialRequest = "invalid_credential_request";
    public const string InvalidNotificationId = "invalid_notification_id";
    public const string InvalidNotificationRequest = "invalid_notification_request";
    public const string AccessDenied = "access_denied";
    public const string VpFormatsNotSupported = "vp_formats_not_supported";
}
