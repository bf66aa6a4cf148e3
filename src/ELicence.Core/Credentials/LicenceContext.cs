using System.Text.Json;
using System.Text.Json.Nodes;

namespace ELicence.Core.Credentials;

/// <summary>
/// The service's JSON-LD context (version 1), second in every licence credential's <c>@context</c> after the VC 2.0 one.
/// It defines every term the credential uses beyond VC 2.0, protected so that no later context can redefine them, with
/// IRIs under the context's own URL (<c>{issuer}/ns/licence/v1#term</c>), so each term resolves to its definition.
/// A change to a term's meaning is a new version at a new URL; this one never changes.
/// </summary>
public static class LicenceContext
{
    /// <summary>The route of the context under the issuer's base URL (the Functions route prefix is empty).</summary>
    public const string Route = "ns/licence/v1";

    public const string MediaType = "application/ld+json";

    private const string Xsd = "http://www.w3.org/2001/XMLSchema#";

    public static string Url(IssuerOptions issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return issuer.Id.TrimEnd('/') + "/" + Route;
    }

    /// <summary>The context document as served.</summary>
    public static string Document(IssuerOptions issuer)
    {
        var vocabulary = Url(issuer) + "#";
        JsonObject Term(string name, string? type = null, string? language = null, JsonObject? scoped = null)
        {
            var term = new JsonObject { ["@id"] = vocabulary + name };
            if (type is not null)
            {
                term["@type"] = type;
            }

            if (language is not null)
            {
                term["@language"] = language;
            }

            if (scoped is not null)
            {
                term["@context"] = scoped;
            }

            return term;
        }

        var context = new JsonObject
        {
            ["@version"] = 1.1,
            ["@protected"] = true,
            [LicenceCredential.CredentialType] = vocabulary + LicenceCredential.CredentialType,
            ["creditCode"] = Term("creditCode"),
            ["licenceVersion"] = Term("licenceVersion", Xsd + "integer"),
            ["entityType"] = Term("entityType"),
            ["entityTypeName"] = Term("entityTypeName", language: LocalizedText.ChineseTag),
            ["domicile"] = Term("domicile"),
            ["legalRepresentative"] = Term("legalRepresentative"),
            ["registeredCapital"] = Term("registeredCapital", scoped: new JsonObject
            {
                ["@protected"] = true,
                ["amount"] = Term("amount", Xsd + "decimal"),
                ["currency"] = Term("currency"),
            }),
            ["establishedOn"] = Term("establishedOn", Xsd + "date"),
            ["operatingTerm"] = Term("operatingTerm", scoped: new JsonObject
            {
                ["@protected"] = true,
                ["from"] = Term("operatingFrom", Xsd + "date"),
                ["to"] = Term("operatingTo", Xsd + "date"),
            }),
            ["businessScope"] = Term("businessScope"),
            ["registrationAuthority"] = Term("registrationAuthority"),
            ["issuedOn"] = Term("issuedOn", Xsd + "date"),
        };
        return new JsonObject { ["@context"] = context }.ToJsonString(Indented);
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
