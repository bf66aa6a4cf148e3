namespace ELicence.Core.UnitTests;

public class ApplicationRequestTests
{
    [Fact]
    public void A_complete_application_becomes_licence_details_with_normalised_values()
    {
        var details = Builders.Application() with { Name = "  阿图什市天山果业有限公司 " };

        var result = details.ToDetails(Builders.Today);

        Assert.Equal("阿图什市天山果业有限公司", result.Name);
        Assert.Equal("CNY", result.RegisteredCapital.Currency);
        Assert.True(result.OperatingTerm.IsOpenEnded);
    }

    [Fact]
    public void Every_missing_field_is_named()
    {
        var empty = new LicenceApplicationRequest(null, null, null, null, null, null, null, null, null, null);

        var problem = Assert.Throws<ProblemException>(() => empty.ToDetails(Builders.Today));

        Assert.Equal(ProblemType.Validation, problem.Type);
        Assert.Equal(
            ["name", "domicile", "legalRepresentative", "businessScope", "registrationAuthority", "entityType", "registeredCapital", "establishedOn", "operatingTerm"],
            problem.Errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData("registeredCapital.amount")]
    [InlineData("registeredCapital.currency")]
    [InlineData("operatingTerm.to")]
    [InlineData("operatingTerm.from")]
    [InlineData("name")]
    public void A_wrong_value_is_reported_on_its_field(string field)
    {
        var request = field switch
        {
            "registeredCapital.amount" => Builders.Application() with { RegisteredCapital = new MoneyRequest(-1m, "CNY") },
            "registeredCapital.currency" => Builders.Application() with { RegisteredCapital = new MoneyRequest(1m, "yuan") },
            "operatingTerm.to" => Builders.Application() with { OperatingTerm = new OperatingTermRequest(new DateOnly(2026, 11, 2), new DateOnly(2026, 1, 1)) },
            "operatingTerm.from" => Builders.Application() with { OperatingTerm = new OperatingTermRequest(new DateOnly(2020, 1, 1), null) },
            _ => Builders.Application() with { Name = new string('名', 201) },
        };

        var problem = Assert.Throws<ProblemException>(() => request.ToDetails(Builders.Today));

        Assert.Equal(field, Assert.Single(problem.Errors).Field);
    }
}
