namespace ELicence.Core.Webhooks;

/// <summary>The event types a verifier subscribes to, and which licence history events each one stands for.</summary>
public static class WebhookEvents
{
    public const string Amended = "licence.amended";
    public const string Suspended = "licence.suspended";
    public const string Reinstated = "licence.reinstated";
    public const string Revoked = "licence.revoked";
    public const string DeregistrationOpened = "licence.deregistration-opened";
    public const string DeregistrationObjection = "licence.deregistration-objection";
    public const string Deregistered = "licence.deregistered";
    public const string Expired = "licence.expired";
    public const string PermitChanged = "permit.changed";

    /// <summary>The credential was signed again under a new key after a key compromise: the one held so far now fails.</summary>
    public const string CredentialReissued = "licence.credential-reissued";

    public static IReadOnlyList<string> All { get; } =
        [Amended, Suspended, Reinstated, Revoked, DeregistrationOpened, DeregistrationObjection, Deregistered, Expired, PermitChanged, CredentialReissued];

    /// <summary>
    /// The webhook event of a licence history event type; null for events no verifier is told about (issuance: nobody
    /// can have relied on a licence before it existed).
    /// </summary>
    public static string? Of(string licenceEventType)
    {
        ArgumentNullException.ThrowIfNull(licenceEventType);
        if (licenceEventType.StartsWith("permit-", StringComparison.Ordinal))
        {
            return PermitChanged;
        }

        if (licenceEventType.StartsWith("deregistration-objection-", StringComparison.Ordinal))
        {
            return DeregistrationObjection;
        }

        return licenceEventType switch
        {
            "amended" => Amended,
            "suspended" => Suspended,
            "reinstated" => Reinstated,
            "revoked" => Revoked,
            "deregistration-notice-opened" => DeregistrationOpened,
            "deregistered" => Deregistered,
            "expired" => Expired,
            "credential-reissued" => CredentialReissued,
            _ => null,
        };
    }
}
