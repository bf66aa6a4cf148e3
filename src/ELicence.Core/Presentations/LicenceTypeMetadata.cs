using System.Text.Json.Serialization;
using ELicence.Core.Credentials;

namespace ELicence.Core.Presentations;

/// <summary>A display entry of SD-JWT VC Type Metadata (draft-ietf-oauth-sd-jwt-vc §8): a locale, a name and a simple rendering.</summary>
public sealed record TypeDisplay(string Locale, string Name, string Description, TypeRendering? Rendering = null);

public sealed record TypeRendering(SimpleRendering Simple);

public sealed record SimpleRendering(
    [property: JsonPropertyName("background_color")] string BackgroundColor,
    [property: JsonPropertyName("text_color")] string TextColor);

/// <summary>A claim's label in one locale.</summary>
public sealed record ClaimDisplay(string Locale, string Label);

/// <summary>Claim metadata (§9): the path, labels, and whether it may (<c>allowed</c>), must (<c>always</c>) or must not (<c>never</c>) be selectively disclosable.</summary>
public sealed record ClaimMetadata(IReadOnlyList<string> Path, IReadOnlyList<ClaimDisplay> Display, string Sd);

/// <summary>The type metadata document served at the <c>vct</c> URL.</summary>
public sealed record TypeMetadata(string Vct, string Name, string Description, IReadOnlyList<TypeDisplay> Display, IReadOnlyList<ClaimMetadata> Claims);

/// <summary>JWT VC Issuer Metadata (draft-ietf-oauth-sd-jwt-vc §5): the issuer and where its keys are.</summary>
public sealed record JwtVcIssuerMetadata(
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("jwks_uri")] string JwksUri)
{
    public static JwtVcIssuerMetadata For(IssuerOptions issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return new(issuer.Id, $"{issuer.Id.TrimEnd('/')}/.well-known/jwks.json");
    }
}

/// <summary>
/// The SD-JWT VC Type Metadata of the business licence: names and a rendering in zh-CN and en, every claim with its labels
/// in both, and its selective-disclosure rule as <see cref="LicenceSdJwtVc"/> issues it. English values are claims of their
/// own (suffix <c>En</c>), labelled here.
/// </summary>
public static class LicenceTypeMetadata
{
    private static readonly (string Claim, string Chinese, string English, string Sd)[] ClaimLabels =
    [
        ("creditCode", "统一社会信用代码", "Unified social credit code", "never"),
        ("licenceVersion", "执照版本", "Licence version", "never"),
        ("name", "名称", "Name (Chinese)", "never"),
        ("nameEn", "名称（英文）", "Name", "never"),
        ("entityType", "类型代码", "Entity type code", "never"),
        ("entityTypeName", "类型", "Entity type", "never"),
        ("registrationAuthority", "登记机关", "Registration authority (Chinese)", "never"),
        ("registrationAuthorityEn", "登记机关（英文）", "Registration authority", "never"),
        ("establishedOn", "成立日期", "Established on", "never"),
        ("issuedOn", "发照日期", "Issued on", "never"),
        (DisclosableFields.LegalRepresentative, "法定代表人", "Legal representative (Chinese)", "always"),
        (DisclosableFields.LegalRepresentative + DisclosableFields.EnglishSuffix, "法定代表人（英文）", "Legal representative", "always"),
        (DisclosableFields.Domicile, "住所", "Domicile (Chinese)", "always"),
        (DisclosableFields.Domicile + DisclosableFields.EnglishSuffix, "住所（英文）", "Domicile", "always"),
        (DisclosableFields.RegisteredCapital, "注册资本", "Registered capital", "always"),
        (DisclosableFields.BusinessScope, "经营范围", "Business scope (Chinese)", "always"),
        (DisclosableFields.BusinessScope + DisclosableFields.EnglishSuffix, "经营范围（英文）", "Business scope", "always"),
        (DisclosableFields.OperatingTerm, "营业期限", "Operating term", "always"),
        (DisclosableFields.Permits, "许可证", "Operating permits", "always"),
    ];

    public static TypeMetadata For(IssuerOptions issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var rendering = new TypeRendering(new SimpleRendering("#B22222", "#FFFFFF"));
        return new TypeMetadata(
            LicenceSdJwtVc.Vct(issuer),
            "Business licence (营业执照)",
            "An electronic business licence of " + issuer.NameEn + ", as an SD-JWT VC.",
            [
                new TypeDisplay("zh-CN", "营业执照", $"{issuer.Name}颁发的电子营业执照", rendering),
                new TypeDisplay("en", "Business licence", $"Electronic business licence issued by the {issuer.NameEn}", rendering),
            ],
            [.. ClaimLabels.Select(c => new ClaimMetadata([c.Claim], [new ClaimDisplay("zh-CN", c.Chinese), new ClaimDisplay("en", c.English)], c.Sd))]);
    }
}
