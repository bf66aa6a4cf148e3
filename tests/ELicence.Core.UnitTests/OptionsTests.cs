using System.ComponentModel.DataAnnotations;

namespace ELicence.Core.UnitTests;

/// <summary>Settings are checked when the host starts, so a typo stops it instead of misbehaving later.</summary>
public class OptionsTests
{
    [Fact]
    public void A_legacy_exception_that_is_not_a_code_but_for_position_17_stops_the_start()
    {
        Assert.Empty(Validate(new CreditCodeOptions { LegacyExceptions = "" }));
        var errors = Validate(new CreditCodeOptions { LegacyExceptions = "91653001MA0000015P, 91653001MA0000015Q" });

        Assert.Contains("91653001MA0000015Q", Assert.Single(errors).ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_list_timings_outside_their_range_stop_the_start()
    {
        Assert.Empty(Validate(new StatusListOptions()));
        Assert.NotEmpty(Validate(new StatusListOptions { TimeToLive = TimeSpan.Zero }));
        Assert.NotEmpty(Validate(new StatusListOptions { PublishDelay = TimeSpan.FromHours(2) }));
    }

    [Fact]
    public void A_caller_cache_bound_below_zero_or_above_five_minutes_stops_the_start()
    {
        Assert.Empty(Validate(new CallerCacheOptions()));
        Assert.Empty(Validate(new CallerCacheOptions { CacheSeconds = 0 }));
        Assert.NotEmpty(Validate(new CallerCacheOptions { CacheSeconds = -1 }));
        Assert.NotEmpty(Validate(new CallerCacheOptions { CacheSeconds = 301 }));
        Assert.Empty(Validate(new CallerCacheOptions { UnknownKeySeconds = 0 }));
        Assert.NotEmpty(Validate(new CallerCacheOptions { UnknownKeySeconds = 301 }));
    }

    private static List<ValidationResult> Validate(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
