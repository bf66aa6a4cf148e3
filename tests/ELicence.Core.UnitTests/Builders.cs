using ELicence.Core.Verifiers;

namespace ELicence.Core.UnitTests;

/// <summary>Test data: a valid application and licence, changed with `with` where a test needs something else.</summary>
internal static class Builders
{
    public static readonly VerifierOrganisation Bank = new("vrf_019ad1c3f4a07b2e8c5d6e7f80912a3b", "Bank A", VerifierKind.Bank, new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));

    public static LicenceApplicationRequest Application() => new(
        "阿图什市天山果业有限公司",
        EntityType.LimitedLiabilityCompany,
        "新疆阿图什市帕米尔路 8 号",
        "艾力·买买提",
        new MoneyRequest(1_000_000m, "cny"),
        new DateOnly(2026, 11, 2),
        new OperatingTermRequest(new DateOnly(2026, 11, 2), null),
        "水果种植、收购、销售。",
        "阿图什市市场监督管理局",
        new EnglishRendering("Atushi Tianshan Fruit Co., Ltd.", null, null, null, null));

    public static readonly DateTimeOffset IssuedAt = new(2026, 11, 2, 17, 30, 12, 345, TimeSpan.Zero);

    /// <summary>The registry's date in these tests (China time), the day the licence was issued.</summary>
    public static readonly DateOnly Today = new(2026, 11, 3);

    public static Licence Licence(int sequence = 7) => new(
        CreditCodeAllocation.CodeFor(sequence, EntityType.LimitedLiabilityCompany),
        1,
        Application().ToDetails(Builders.Today),
        LicenceStatus.Active,
        StatusDetail.ActiveSince(IssuedAt),
        new DateOnly(2026, 11, 3),
        IssuedAt,
        "urn:uuid:01a22433-ff9f-79e8-b893-c9b8b9eede3e",
        "app_01a22433fdec70589e49bc6e03fae180",
        StatusListIndex: 131_073,
        EventCount: 1,
        ETag: "etag-1");
}
