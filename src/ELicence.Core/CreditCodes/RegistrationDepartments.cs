namespace ELicence.Core.CreditCodes;

/// <summary>Positions 1–2 of a credit code: registration department and its entity types (GB 32100-2015 Appendix A, as amended).</summary>
public static class RegistrationDepartments
{
    /// <summary>Market regulation (工商/市场监管), the department this registry issues for.</summary>
    public const char MarketRegulation = '9';

    private static readonly Dictionary<char, string> EntityTypes = new()
    {
        ['1'] = "1239", // 机构编制: 机关, 事业单位, 中央编办直管群众团体, 其他
        ['2'] = "19",   // 外交
        ['3'] = "123459", // 司法行政
        ['4'] = "19",   // 文化
        ['5'] = "1239", // 民政: 社会团体, 民办非企业单位, 基金会, 其他
        ['6'] = "129",  // 旅游
        ['7'] = "1239", // 宗教
        ['8'] = "19",   // 工会
        ['9'] = "123",  // 市场监管: 企业, 个体工商户, 农民专业合作社
        ['A'] = "19",   // 中央军委改革和编制办公室
        ['N'] = "1239", // 农业
        ['Y'] = "1",    // 其他
    };

    public static bool IsKnown(char department) => EntityTypes.ContainsKey(department);

    public static bool AllowsEntityType(char department, char entityType) =>
        EntityTypes.TryGetValue(department, out var types) && types.Contains(entityType, StringComparison.Ordinal);
}

/// <summary>GB/T 2260 division codes: six digits whose first two name a province-level division.</summary>
public static class AdministrativeDivisions
{
    /// <summary>Atushi City, Kizilsu Kirghiz Autonomous Prefecture, Xinjiang.</summary>
    public const string AtushiCity = "653001";

    private static readonly HashSet<int> Provinces =
    [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
        50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
    ];

    public static bool IsPlausible(ReadOnlySpan<char> division)
    {
        if (division.Length != 6)
        {
            return false;
        }

        foreach (var c in division)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        // 10xxxx is used by central-level registrations (e.g. 100000).
        var province = ((division[0] - '0') * 10) + (division[1] - '0');
        return province == 10 || Provinces.Contains(province);
    }
}
