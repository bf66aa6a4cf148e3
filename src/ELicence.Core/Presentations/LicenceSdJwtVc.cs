using System.Text.Json;
using System.Text.Json.Nodes;
using ELicence.Core.Credentials;
using ELicence.Core.Keys;
using ELicence.Core.Licences;
using ELicence.Core.StatusLists;
using ELicence.Jose;

namespace ELicence.Core.Presentations;

/// <summary>The claims of the licence a holder may choose to disclose or withhold in a presentation.</summary>
public static class DisclosableFields
{
    public const string LegalRepresentative = "legalRepresentative";
    public const string Domicile = "domicile";
    public const string RegisteredCapital = "registeredCapital";
    public const string BusinessScope = "businessScope";
    public const string OperatingTerm = "operatingTerm";
    public const string Permits = "permits";

    public static IReadOnlyList<string> All { get; } = [LegalRepresentative, Domicile, RegisteredCapital, BusinessScope, OperatingTerm, Permits];
}

/// <summary>An issued SD-JWT VC: the issuer-signed JWT and every disclosure, the holder picks which to present.</summary>
public sealed record IssuedSdJwtVc(string IssuerJwt, IReadOnlyList<Disclosure> Disclosures)
{
    /// <summary>The SD-JWT with all its disclosures and no key binding (RFC 9901 §4: ends with '~'), as the holder keeps it.</summary>
    public string Combined => SdJwt.Combine(IssuerJwt, Disclosures);
}

/// <summary>
/// The licence as an SD-JWT VC (RFC 9901 with the IETF SD-JWT VC format): header <c>typ</c> <c>dc+sd-jwt</c>, signed EdDSA
/// with the service's key of the JWKS; <c>iss</c>, <c>vct</c>, <c>iat</c>, <c>nbf</c>/<c>exp</c> (the operating term),
/// <c>cnf.jwk</c> (the holder's key), <c>status</c>. Name, credit code, entity type, registration authority and the status
/// entries are always disclosed; the claims of <see cref="DisclosableFields"/> only through disclosures.
/// </summary>
/// <remarks>
/// The <c>status</c> claim holds the same W3C Bitstring Status List entries as the JWS credential, under the member
/// <c>bitstring_status_list</c>: SD-JWT VC leaves the mechanism open (its <c>status_list</c> member is the IETF Token Status
/// List, which this service does not publish), and one set of lists serves both formats.
/// </remarks>
public static class LicenceSdJwtVc
{
    public const string JwsType = "dc+sd-jwt";

    /// <summary>The credential type: a URL under the issuer's authority.</summary>
    public static string Vct(IssuerOptions issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return $"{issuer.Id.TrimEnd('/')}/vct/business-licence";
    }

    public static IssuedSdJwtVc Issue(LicenceWithPermits licence, HolderJwk holderKey, IssuerOptions issuer, SigningKey key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(licence);
        ArgumentNullException.ThrowIfNull(holderKey);
        ArgumentNullException.ThrowIfNull(key);
        var subject = LicenceCredential.PayloadFor(licence.Licence, issuer);
        var s = subject.CredentialSubject;
        var disclosures = new List<Disclosure>
        {
            Disclosure.Create(DisclosableFields.LegalRepresentative, Node(s.LegalRepresentative), ElicenceJson.Options),
            Disclosure.Create(DisclosableFields.Domicile, Node(s.Domicile), ElicenceJson.Options),
            Disclosure.Create(DisclosableFields.RegisteredCapital, Node(s.RegisteredCapital), ElicenceJson.Options),
            Disclosure.Create(DisclosableFields.BusinessScope, Node(s.BusinessScope), ElicenceJson.Options),
            Disclosure.Create(DisclosableFields.OperatingTerm, Node(s.OperatingTerm), ElicenceJson.Options),
            Disclosure.Create(DisclosableFields.Permits, Node(licence.Permits.Select(p => new PermitClaim(p.PermitType, p.Number, p.IssuingDepartment, p.ReformMode, p.ValidFrom, p.ValidTo))), ElicenceJson.Options),
        };

        var payload = new JsonObject
        {
            ["iss"] = issuer.Id,
            ["sub"] = s.Id,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = subject.ValidFrom.ToUnixTimeSeconds(),
            ["vct"] = Vct(issuer),
            ["cnf"] = new JsonObject { ["jwk"] = holderKey.ToJson() },
            ["status"] = new JsonObject { ["bitstring_status_list"] = Node(subject.CredentialStatus) },
            ["creditCode"] = s.CreditCode,
            ["licenceVersion"] = s.LicenceVersion,
            ["name"] = Node(s.Name),
            ["entityType"] = Node(s.EntityType),
            ["registrationAuthority"] = Node(s.RegistrationAuthority),
            // Digests in a fixed (sorted) order, so their order says nothing about which claim each hides (RFC 9901 §4.2.4.1).
            ["_sd"] = new JsonArray([.. disclosures.Select(d => d.Digest).Order(StringComparer.Ordinal).Select(d => (JsonNode)d)]),
            ["_sd_alg"] = SdJwt.HashAlgorithm,
        };
        if (subject.ValidUntil is { } until)
        {
            payload["exp"] = until.ToUnixTimeSeconds();
        }

        var jwt = KeyJws.Sign(key, JwsType, System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString(ElicenceJson.Options)));
        return new IssuedSdJwtVc(jwt, disclosures);
    }

    private static JsonNode? Node<T>(T value) => JsonSerializer.SerializeToNode(value, ElicenceJson.Options);

    /// <summary>A permit as the SD-JWT VC discloses it: what it is and its validity, not the register's bookkeeping.</summary>
    private sealed record PermitClaim(string PermitType, string Number, string IssuingDepartment, ReformMode ReformMode, DateOnly ValidFrom, DateOnly? ValidTo);
}
