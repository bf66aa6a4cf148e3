namespace ELicence.Core.UnitTests;

public class CreditCodeTests
{
    [Theory]
    [InlineData("91350100M000100Y43")] // the worked example of GB 32100-2015
    [InlineData("9144030071526726XG")] // Tencent Technology (Shenzhen)
    [InlineData("914403001922038216")] // Huawei Technologies
    [InlineData("91110000802100433B")] // Beijing Baidu Netcom
    [InlineData("91110108551385082Q")] // Beijing Xiaomi Technology
    public void Real_published_codes_are_valid(string code)
    {
        var result = CreditCode.Validate(code);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(code, result.Code.Value.Value);
        Assert.False(result.AcceptedAsLegacyException);
    }

    [Fact]
    public void Parts_of_a_code_are_exposed()
    {
        var code = CreditCode.Parse("9144030071526726XG");

        Assert.Equal('9', code.RegistrationDepartment);
        Assert.Equal('1', code.EntityTypeCode);
        Assert.Equal("440300", code.DivisionCode);
        Assert.Equal("71526726X", code.OrganizationCode);
    }

    [Fact]
    public void User_input_is_trimmed_and_upper_cased()
    {
        var result = CreditCode.Validate("  9144030071526726xg \n");

        Assert.True(result.IsValid);
        Assert.Equal("9144030071526726XG", result.Code.Value.Value);
    }

    [Theory]
    [InlineData(null, CreditCodeError.Empty)]
    [InlineData("   ", CreditCodeError.Empty)]
    [InlineData("9144030071526726X", CreditCodeError.WrongLength)]
    [InlineData("9144030071526726XGG", CreditCodeError.WrongLength)]
    [InlineData("9144030071526726XI", CreditCodeError.InvalidCharacter)] // I is never used
    [InlineData("91440300715267260G", CreditCodeError.CheckCharacter)] // one character changed
    [InlineData("9144030071526726XH", CreditCodeError.CheckCharacter)] // wrong check character
    [InlineData("9144030071526276XG", CreditCodeError.CheckCharacter)] // two digits transposed
    public void Broken_codes_are_rejected_with_the_reason(string? input, CreditCodeError expected)
    {
        var result = CreditCode.Validate(input);

        Assert.False(result.IsValid);
        Assert.Equal(expected, result.Error);
        Assert.False(string.IsNullOrWhiteSpace(result.Message));
    }

    [Fact]
    public void An_unknown_registration_department_is_rejected()
    {
        var result = CreditCode.Validate(WithValidCheck("B144030071526726X"));

        Assert.Equal(CreditCodeError.UnknownDepartment, result.Error);
    }

    [Fact]
    public void An_entity_type_the_department_does_not_have_is_rejected()
    {
        var result = CreditCode.Validate(WithValidCheck("9544030071526726X"));

        Assert.Equal(CreditCodeError.UnknownEntityType, result.Error);
    }

    [Fact]
    public void A_division_outside_any_province_is_rejected()
    {
        var result = CreditCode.Validate(WithValidCheck("9199030071526726X"));

        Assert.Equal(CreditCodeError.InvalidDivision, result.Error);
    }

    [Fact]
    public void A_failing_organisation_code_check_is_rejected_unless_listed_as_a_legacy_exception()
    {
        // Position 17 is wrong (should be X), position 18 is right for the wrong 17: what some old registrations look like.
        var legacy = WithValidCheck("9144030071526726" + "5");

        var strict = CreditCode.Validate(legacy);
        var lenient = CreditCode.Validate(legacy, new CreditCodeExceptionList([legacy.ToLowerInvariant()]));

        Assert.Equal(CreditCodeError.OrganizationCodeCheck, strict.Error);
        Assert.True(lenient.IsValid);
        Assert.True(lenient.AcceptedAsLegacyException);
    }

    [Fact]
    public void A_code_read_back_from_the_register_loads_without_the_exception_list_but_garbage_does_not()
    {
        var legacy = WithValidCheck("91440300715267265");

        Assert.Equal(legacy, CreditCode.FromStored(legacy).Value);
        Assert.Throws<FormatException>(() => CreditCode.FromStored(legacy[..17] + (legacy[17] == '0' ? '1' : '0')));
        Assert.Throws<FormatException>(() => CreditCode.FromStored("91440300715267265/"));
        Assert.Throws<FormatException>(() => CreditCode.FromStored("9144030071526726"));
    }

    [Fact]
    public void A_legacy_exception_does_not_waive_the_position_18_check()
    {
        var legacy = WithValidCheck("91440300715267265");
        var broken = legacy[..17] + (legacy[17] == '0' ? '1' : '0');

        var result = CreditCode.Validate(broken, new CreditCodeExceptionList([broken]));

        Assert.Equal(CreditCodeError.CheckCharacter, result.Error);
    }

    [Fact]
    public void Allocated_codes_are_valid_distinct_and_in_this_registry()
    {
        var codes = Enumerable.Range(0, 5000).Select(n => CreditCodeAllocation.CodeFor(n, EntityType.LimitedLiabilityCompany)).ToList();

        Assert.Equal(codes.Count, codes.Select(c => c.Value).Distinct().Count());
        Assert.All(codes, c =>
        {
            Assert.True(CreditCode.Validate(c.Value).IsValid);
            Assert.Equal('9', c.RegistrationDepartment);
            Assert.Equal(AdministrativeDivisions.AtushiCity, c.DivisionCode);
            Assert.StartsWith("MA", c.OrganizationCode, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData(EntityType.LimitedLiabilityCompany, '1')]
    [InlineData(EntityType.IndividualBusiness, '2')]
    [InlineData(EntityType.FarmersCooperative, '3')]
    public void The_entity_type_decides_position_2(EntityType type, char expected)
    {
        Assert.Equal(expected, CreditCodeAllocation.CodeFor(42, type).EntityTypeCode);
    }

    [Fact]
    public void The_last_sequence_number_of_the_range_is_allocatable_and_the_next_is_refused()
    {
        Assert.True(CreditCode.Validate(CreditCodeAllocation.CodeFor(CreditCodeAllocation.Capacity - 1, EntityType.Partnership).Value).IsValid);
        Assert.Throws<ArgumentOutOfRangeException>(() => CreditCodeAllocation.CodeFor(CreditCodeAllocation.Capacity, EntityType.Partnership));
    }

    private static string WithValidCheck(string first17) => first17 + CreditCode.ComputeCheckCharacter(first17);
}
