using System.Text.Json.Serialization;

namespace ELicence.OpenId4Vc.Issuance;

/// <summary>A Credential Offer (OpenID4VCI 1.0 §4.1.1) with the pre-authorised code grant.</summary>
public sealed record CredentialOffer(string CredentialIssuer, IReadOnlyList<string> CredentialConfigurationIds, CredentialOfferGrants Grants)
{
    public const string PreAuthorizedCodeGrant = "urn:ietf:params:oauth:grant-type:pre-authorized_code";

    /// <summary>The offer by reference (§4.1.3): what the QR code and the same-device link carry.</summary>
    public static string ByReference(string credentialOfferUri) =>
        "openid-credential-offer://?credential_offer_uri=" + Uri.EscapeDataString(credentialOfferUri);
}

public sealed record CredentialOfferGrants(
    [property: JsonPropertyName(CredentialOffer.PreAuthorizedCodeGrant)] PreAuthorizedCodeGrant PreAuthorizedCode);

public sealed record PreAuthorizedCodeGrant(
    [property: JsonPropertyName("pre-authorized_code")] string PreAuthorizedCode,
    TxCodeDescription? TxCode);
