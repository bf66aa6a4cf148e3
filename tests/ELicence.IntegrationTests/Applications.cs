namespace ELicence.IntegrationTests;

/// <summary>Application bodies as a registrar would send them.</summary>
internal static class Applications
{
    public static Dictionary<string, object?> Valid(string? name = null) => new()
    {
        ["name"] = name ?? "阿图什市天山果业有限公司",
        ["entityType"] = "limited-liability-company",
        ["domicile"] = "新疆克孜勒苏柯尔克孜自治州阿图什市帕米尔路 8 号",
        ["legalRepresentative"] = "艾力·买买提",
        ["registeredCapital"] = new { amount = 1_000_000, currency = "CNY" },
        ["establishedOn"] = "2026-11-02",
        ["operatingTerm"] = new { from = "2026-11-02", to = (string?)null },
        ["businessScope"] = "水果种植、收购、销售；农产品初加工。",
        ["registrationAuthority"] = "阿图什市市场监督管理局",
        ["english"] = new { name = "Atushi Tianshan Fruit Co., Ltd.", registrationAuthority = "Atushi City Administration for Market Regulation" },
    };

    public static Dictionary<string, object?> With(string member, object? value, string? name = null)
    {
        var body = Valid(name);
        body[member] = value;
        return body;
    }
}
