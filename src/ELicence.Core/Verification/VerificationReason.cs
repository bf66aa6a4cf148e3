namespace ELicence.Core.Verification;

/// <summary>A machine-readable reason (stable <see cref="Code"/>) with a human explanation.</summary>
public sealed record VerificationReason(string Code, string Message);

/// <summary>The stable reason codes a verification can give.</summary>
public static class ReasonCodes
{
    public const string Verified = "verified";
    public const string MalformedCredential = "malformed-credential";
    public const string UnsupportedAlgorithm = "unsupported-algorithm";
    public const string UnknownKey = "unknown-key";
    public const string KeyCompromised = "key-compromised";
    public const string BadSignature = "bad-signature";
    public const string NotALicenceCredential = "not-a-licence-credential";
    public const string WrongIssuer = "wrong-issuer";
    public const string LicenceNotFound = "licence-not-found";
    public const string CredentialNotIssued = "credential-not-issued";
    public const string NotActive = "not-active";
}
