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

    /// <summary>The suffix of a claim's English variant, a separate claim disclosed with the Chinese one (docs/design.md).</summary>
    public const string EnglishSuffix = "En";

    public static IReadOnlyList<string> All { get; } = [LegalRepresentative, Domicile, RegisteredCapital, BusinessScope, OperatingTerm, Permits];

    /// <summary>The disclosable claim a disclosure belongs to: itself, or the Chinese claim of an English variant.</summary>
    public static string FieldOf(string claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return claim.EndsWith(EnglishSuffix, StringComparison.Ordinal) && All.Contains(claim[..^EnglishSuffix.Length], StringComparer.Ordinal)
            ? claim[..^EnglishSuffix.Length]
            : claim;
    }
}

/// <summary>An issued SD-JWT VC: the issuer-signed JWT and every disclosure, the holder picks which to present.</summary>
public sealed record IssuedSdJwtVc(string IssuerJwt, IReadOnlyList<Disclosure> Disclosures)
{
    /// <summary>The SD-JWT with all its disclosures and no key binding (RFC 9901 §4: ends with '~'), as the holder keeps it.</summary>
    public string Combined => SdJwt.Combine(IssuerJwt, Disclosures);
}

/// <summary>
/// The licence as an SD-JWT VC (RFC 9901; draft-ietf-oauth-sd-jwt-vc; HAIP 1.0): header <c>typ</c> <c>dc+sd-jwt</c>, signed
/// ES256 with the ring's ES256 key, its <c>kid</c> and its certificate chain in <c>x5c</c>; <c>iss</c> (with
/// <c>/.well-known/jwt-vc-issuer</c>), <c>vct</c> (a URL serving the type metadata of <see cref="LicenceTypeMetadata"/>),
/// <c>iat</c>, <c>nbf</c>/<c>exp</c> (the operating term), <c>cnf.jwk</c> (the holder's key) and
/// <c>status.status_list</c> (an entry of the IETF Token Status List). Claim values are plain JSON: Chinese text as the
/// claim, English as a separate claim with the suffix <c>En</c>. Name, credit code, entity type, registration authority,
/// establishment and issue dates are always disclosed; the claims of <see cref="DisclosableFields"/> (and their English
/// variants) only through disclosures.
/// </summary>
public static class LicenceSdJwtVc
{
    public const string JwsType = "dc+sd-jwt";

    /// <summary>The credential type: a URL under the issuer's authority, where its type metadata is served.</summary>
    public static string Vct(IssuerOptions issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return $"{issuer.Id.TrimEnd('/')}/vct/business-licence";
    }

    /// <param name="statusIndex">The credential's entry in the Token Status List: the licence version's, or a wallet copy's own.</param>
    /// <param name="withChain">
    /// Whether the header carries <c>x5c</c> (HAIP, for a wallet); a quick-mode presentation leaves it out to fit a QR code,
    /// its key still named by <c>kid</c> in the JWKS, whose entry carries the same chain.
    /// </param>
    public static IssuedSdJwtVc Issue(LicenceWithPermits licence, HolderJwk holderKey, IssuerOptions issuer, KeyRing ring, long statusIndex, DateTimeOffset now, bool withChain = true)
    {
        ArgumentNullException.ThrowIfNull(licence);
        ArgumentNullException.ThrowIfNull(holderKey);
        ArgumentNullException.ThrowIfNull(ring);
        var key = ring.SigningEs256 ?? throw new InvalidOperationException("The key ring has no active ES256 key.");
        var subject = LicenceCredential.PayloadFor(licence.Licence, issuer);
        var s = subject.CredentialSubject;
        var disclosures = new List<Disclosure>
        {
            Disclosure.Create(DisclosableFields.LegalRepresentative, s.LegalRepresentative.Chinese, ElicenceJson.Options),
            Disclosure.Create(DisclosableFields.Domicile, s.Domicile.Chinese, ElicenceJson.Options),
            Disclosure.Create(DisclosableFields.RegisteredCapital, Node(s.RegisteredCapital), ElicenceJson.Options),
            Disclosure.Create(DisclosableFields.BusinessScope, s.BusinessScope.Chinese, ElicenceJson.Options),
            Disclosure.Create(DisclosableFields.OperatingTerm, Node(s.OperatingTerm), ElicenceJson.Options),
            Disclosure.Create(DisclosableFields.Permits, Node(licence.Permits.Select(p => new PermitClaim(p.PermitType, p.Number, p.IssuingDepartment, p.ReformMode, p.ValidFrom, p.ValidTo))), ElicenceJson.Options),
        };
        AddEnglish(disclosures, DisclosableFields.LegalRepresentative, s.LegalRepresentative);
        AddEnglish(disclosures, DisclosableFields.Domicile, s.Domicile);
        AddEnglish(disclosures, DisclosableFields.BusinessScope, s.BusinessScope);

        var payload = new JsonObject
        {
            ["iss"] = issuer.Id,
            ["sub"] = s.Id,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = subject.ValidFrom.ToUnixTimeSeconds(),
            ["vct"] = Vct(issuer),
            ["cnf"] = new JsonObject { ["jwk"] = holderKey.ToJson() },
            ["status"] = new JsonObject { ["status_list"] = new JsonObject { ["idx"] = TokenStatusLists.Position(statusIndex), ["uri"] = TokenStatusLists.ListUrl(issuer, TokenStatusLists.ListNumber(statusIndex)) } },
            ["creditCode"] = s.CreditCode,
            ["licenceVersion"] = s.LicenceVersion,
            ["name"] = s.Name.Chinese,
            ["entityType"] = Node(s.EntityType),
            ["entityTypeName"] = s.EntityTypeName,
            ["registrationAuthority"] = s.RegistrationAuthority.Chinese,
            ["establishedOn"] = Node(s.EstablishedOn),
            ["issuedOn"] = Node(s.IssuedOn),
            // Digests in a fixed (sorted) order, so their order says nothing about which claim each hides (RFC 9901 §4.2.4.1).
            ["_sd"] = new JsonArray([.. disclosures.Select(d => d.Digest).Order(StringComparer.Ordinal).Select(d => (JsonNode)d)]),
            ["_sd_alg"] = SdJwt.HashAlgorithm,
        };
        if (s.Name.English is { } nameEn)
        {
            payload["name" + DisclosableFields.EnglishSuffix] = nameEn;
        }

        if (s.RegistrationAuthority.English is { } authorityEn)
        {
            payload["registrationAuthority" + DisclosableFields.EnglishSuffix] = authorityEn;
        }

        if (subject.ValidUntil is { } until)
        {
            payload["exp"] = until.ToUnixTimeSeconds();
        }

        var jwt = KeyJws.Sign(key, JwsType, System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString(ElicenceJson.Options)), withChain ? ring.ChainOf(key) : null);
        return new IssuedSdJwtVc(jwt, disclosures);
    }

    private static void AddEnglish(List<Disclosure> disclosures, string field, LocalizedText text)
    {
        if (text.English is { } english)
        {
            disclosures.Add(Disclosure.Create(field + DisclosableFields.EnglishSuffix, english, ElicenceJson.Options));
        }
    }

    private static JsonNode? Node<T>(T value) => JsonSerializer.SerializeToNode(value, ElicenceJson.Options);

    /// <summary>A permit as the SD-JWT VC discloses it: what it is and its validity, not the register's bookkeeping.</summary>
    private sealed record PermitClaim(string PermitType, string Number, string IssuingDepartment, ReformMode ReformMode, DateOnly ValidFrom, DateOnly? ValidTo);
}
