namespace ELicence.Core.Verification;

/// <summary>A machine-readable reason (stable <see cref="Code"/>) with a human explanation.</summary>
public sealed record VerificationReason(string Code, string Message);

/// <summary>The stable reason codes a verification can give.</summary>
public static class ReasonCodes
{
    public const string Verified = "verified";
    public const string UnsupportedAlgorithm = "unsupported-algorithm";
    public const string UnknownKey = "unknown-key";
    public const string KeyCompromised = "key-compromised";
    public const string BadSignature = "bad-signature";
    public const string NotALicenceCredential = "not-a-licence-credential";
    public const string WrongIssuer = "wrong-issuer";
    public const string LicenceNotFound = "licence-not-found";
    public const string CredentialNotIssued = "credential-not-issued";
    public const string Superseded = "superseded";
    public const string Suspended = "suspended";
    public const string Revoked = "revoked";
    public const string Deregistered = "deregistered";
    public const string Expired = "expired";

    /// <summary>The operating term starts in the future.</summary>
    public const string NotYetInForce = "not-yet-in-force";

    /// <summary>A presentation's disclosure is malformed, tampered with, or not one of the credential's.</summary>
    public const string DisclosureNotInCredential = "disclosure-not-in-credential";

    /// <summary>A presentation without a key-binding JWT.</summary>
    public const string KeyBindingMissing = "key-binding-missing";

    /// <summary>The key-binding JWT is not signed by the credential's cnf key, or was made for other disclosures.</summary>
    public const string BadKeyBinding = "bad-key-binding";

    /// <summary>The presentation was made for another verifier.</summary>
    public const string WrongAudience = "wrong-audience";

    /// <summary>The key-binding JWT is older than five minutes, or dated in the future.</summary>
    public const string PresentationExpired = "presentation-expired";

    public const string NonceMismatch = "nonce-mismatch";

    /// <summary>The presentation was verified before: each is good for one verification.</summary>
    public const string Replayed = "replayed";

    /// <summary>Informative: the licence is valid, but a deregistration notice is running.</summary>
    public const string DeregistrationNotice = "deregistration-notice";

    public static bool IsBlocking(string code) => code is not (Verified or DeregistrationNotice);
}
