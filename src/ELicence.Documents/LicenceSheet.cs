using System.Globalization;
using ELicence.Core.Kernel;
using ELicence.Core.Licences;

namespace ELicence.Documents;

/// <summary>The language a document or page is rendered in.</summary>
public enum DocumentLanguage
{
    Chinese,
    English,
}

/// <summary>One printed field of a licence: its label and value in one language, and whether the public page shows it.</summary>
public sealed record SheetField(string Label, string Value, bool Public);

/// <summary>
/// The fields of a business licence (营业执照) in the order and wording of the paper licence, in Chinese or English; the
/// PDF and the public page both print from here so they never disagree.
/// </summary>
public static class LicenceSheet
{
    public static string Title(DocumentLanguage language) => language == DocumentLanguage.Chinese ? "营业执照" : "Business Licence";

    public static IReadOnlyList<SheetField> Fields(Licence licence, DocumentLanguage language)
    {
        ArgumentNullException.ThrowIfNull(licence);
        var d = licence.Details;
        var en = d.English;
        return language switch
        {
            DocumentLanguage.Chinese =>
            [
                new("统一社会信用代码", licence.Code.Value, true),
                new("名称", d.Name, true),
                new("类型", d.EntityType.ChineseName(), true),
                new("法定代表人", d.LegalRepresentative, true),
                new("注册资本", Capital(d.RegisteredCapital, language), false),
                new("成立日期", Date(d.EstablishedOn, language), false),
                new("营业期限", Term(d.OperatingTerm, language), true),
                new("住所", d.Domicile, true),
                new("经营范围", d.BusinessScope, true),
                new("登记机关", d.RegistrationAuthority, true),
                new("发证日期", Date(licence.IssuedOn, language), false),
                new("执照版本", $"第 {licence.Version.ToString(CultureInfo.InvariantCulture)} 版", false),
            ],
            DocumentLanguage.English =>
            [
                new("Unified social credit code", licence.Code.Value, true),
                new("Name", en?.Name ?? d.Name, true),
                new("Entity type", d.EntityType.EnglishName(), true),
                new("Legal representative", en?.LegalRepresentative ?? d.LegalRepresentative, true),
                new("Registered capital", Capital(d.RegisteredCapital, language), false),
                new("Established on", Date(d.EstablishedOn, language), false),
                new("Operating term", Term(d.OperatingTerm, language), true),
                new("Domicile", en?.Domicile ?? d.Domicile, true),
                new("Business scope", en?.BusinessScope ?? d.BusinessScope, true),
                new("Registration authority", en?.RegistrationAuthority ?? d.RegistrationAuthority, true),
                new("Date of issue", Date(licence.IssuedOn, language), false),
                new("Licence version", licence.Version.ToString(CultureInfo.InvariantCulture), false),
            ],
            _ => throw new ArgumentOutOfRangeException(nameof(language), language, null),
        };
    }

    public static string Date(DateOnly date, DocumentLanguage language) => language == DocumentLanguage.Chinese
        ? date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture)
        : date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    private static string Term(OperatingTerm term, DocumentLanguage language) => (language, term.To) switch
    {
        (DocumentLanguage.Chinese, null) => $"{Date(term.From, language)} 至 长期",
        (DocumentLanguage.Chinese, { } to) => $"{Date(term.From, language)} 至 {Date(to, language)}",
        (_, null) => $"From {Date(term.From, language)}, open-ended",
        (_, { } to) => $"{Date(term.From, language)} to {Date(to, language)}",
    };

    private static string Capital(Money capital, DocumentLanguage language)
    {
        var amount = capital.Amount.ToString("#,0.##", CultureInfo.InvariantCulture);
        return (language, capital.Currency) switch
        {
            (DocumentLanguage.Chinese, "CNY") => $"人民币 {amount} 元",
            _ => $"{amount} {capital.Currency}",
        };
    }
}
