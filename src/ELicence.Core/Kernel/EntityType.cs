namespace ELicence.Core.Kernel;

/// <summary>The kinds of market entity this registry licenses (the 类型 field of a business licence).</summary>
public enum EntityType
{
    LimitedLiabilityCompany,
    JointStockCompany,
    SoleProprietorship,
    Partnership,
    IndividualBusiness,
    FarmersCooperative,
}

public static class EntityTypeExtensions
{
    /// <summary>Position 2 of the credit code for department 9.</summary>
    public static char CreditCodeTypeCharacter(this EntityType type) => type switch
    {
        EntityType.LimitedLiabilityCompany or EntityType.JointStockCompany or EntityType.SoleProprietorship or EntityType.Partnership => '1',
        EntityType.IndividualBusiness => '2',
        EntityType.FarmersCooperative => '3',
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static string ChineseName(this EntityType type) => type switch
    {
        EntityType.LimitedLiabilityCompany => "有限责任公司",
        EntityType.JointStockCompany => "股份有限公司",
        EntityType.SoleProprietorship => "个人独资企业",
        EntityType.Partnership => "合伙企业",
        EntityType.IndividualBusiness => "个体工商户",
        EntityType.FarmersCooperative => "农民专业合作社",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static string EnglishName(this EntityType type) => type switch
    {
        EntityType.LimitedLiabilityCompany => "Limited liability company",
        EntityType.JointStockCompany => "Joint stock limited company",
        EntityType.SoleProprietorship => "Sole proprietorship",
        EntityType.Partnership => "Partnership",
        EntityType.IndividualBusiness => "Individual business",
        EntityType.FarmersCooperative => "Farmers' specialised cooperative",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
