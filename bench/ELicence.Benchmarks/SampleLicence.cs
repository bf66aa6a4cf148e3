using ELicence.Core.CreditCodes;
using ELicence.Core.Licences;

namespace ELicence.Benchmarks;

/// <summary>The licence every benchmark works on: a typical limited company with Chinese and English names.</summary>
internal static class SampleLicence
{
    public static Licence Create()
    {
        var details = new LicenceDetails("阿图什市天山果业有限公司", EntityType.LimitedLiabilityCompany, "新疆阿图什市帕米尔路 8 号", "艾力·买买提",
            new Money(1_000_000m, "CNY"), new DateOnly(2026, 11, 2), new OperatingTerm(new DateOnly(2026, 11, 2), null), "水果种植、收购、销售。",
            "阿图什市市场监督管理局", new EnglishRendering("Atushi Tianshan Fruit Co., Ltd.", null, null, null, null));
        return new Licence(CreditCodeAllocation.CodeFor(7, EntityType.LimitedLiabilityCompany), 1, details, LicenceStatus.Active,
            StatusDetail.ActiveSince(DateTimeOffset.UnixEpoch), new DateOnly(2026, 11, 3), DateTimeOffset.UnixEpoch, "urn:uuid:01a22433-ff9f-79e8-b893-c9b8b9eede3e", "app_x", 7, 1, null);
    }
}
