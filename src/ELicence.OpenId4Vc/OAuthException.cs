namespace ELicence.OpenId4Vc;

/// <summary>
/// A protocol error as OAuth 2.0 (RFC 6749 §5.2, RFC 6750 §3.1) and OpenID4VCI/VP define it: an <c>error</c> code, a
/// description for the developer and the HTTP status the endpoint answers with. Protocol endpoints answer with this, never
/// with the service's own problem documents, because wallets parse these codes.
/// </summary>
public sealed class OAuthException(string error, string description, int status = 400) : Exception(description)
{
    public string Error { get; } = error;

    public int Status { get; } = status;

    /// <summary>The JSON body: <c>{"error": …, "error_description": …}</c>.</summary>
    public OAuthError Body => new(Error, Message);

    public static OAuthException InvalidRequest(string description) => new(OAuthErrors.InvalidRequest, description);

    public static OAuthException InvalidGrant(string description) => new(OAuthErrors.InvalidGrant, description);

    public static OAuthException InvalidProof(string description) => new(OAuthErrors.InvalidProof, description);

    /// <summary>RFC 6750 §3.1: 401 with a <c>WWW-Authenticate: Bearer error="invalid_token"</c> challenge.</summary>
    public static OAuthException InvalidToken(string description) => new(OAuthErrors.InvalidToken, description, 401);
}

/// <summary>The body of a protocol error response.</summary>
public sealed record OAuthError(string Error, string? ErrorDescription);
