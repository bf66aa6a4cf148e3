using System.ComponentModel.DataAnnotations;
using ELicence.Functions.Http;

namespace ELicence.IntegrationTests.Operations;

/// <summary>The Entra ID settings are checked when the host starts: both or neither, and an https authority.</summary>
public class EntraIdOptionsTests
{
    [Theory]
    [InlineData(null, null, true, true, false)]
    [InlineData("", "", true, true, false)]
    [InlineData("https://login.microsoftonline.com/7f3c8e2a-5b1d-4c9e-a0f6-2d4b8e1c3a57/v2.0", "api://elicence", true, true, true)]
    [InlineData("https://login.microsoftonline.com/7f3c8e2a-5b1d-4c9e-a0f6-2d4b8e1c3a57/v2.0", "", true, false, false)]
    [InlineData(null, "api://elicence", true, false, false)]
    [InlineData("http://login.microsoftonline.com/tenant/v2.0", "api://elicence", true, false, true)]
    [InlineData("http://127.0.0.1:5000/tenant/v2.0", "api://elicence", false, true, true)]
    [InlineData("login.microsoftonline.com/tenant/v2.0", "api://elicence", true, false, true)]
    public void Settings_are_valid_only_when_complete_and_over_https(string? authority, string? audience, bool requireHttps, bool valid, bool enabled)
    {
        var options = new EntraIdOptions { Authority = authority, Audience = audience, RequireHttpsMetadata = requireHttps };

        var errors = new List<ValidationResult>();
        var isValid = Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true);

        Assert.Equal(valid, isValid);
        Assert.Equal(enabled, options.Enabled);
    }
}
