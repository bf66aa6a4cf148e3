using Cronos;
using ELicence.Functions.Composition;
using Microsoft.Extensions.Configuration;

namespace ELicence.IntegrationTests.Operations;

/// <summary>Timer schedules come from settings: every timer names one, the committed sample gives it, and the local host resolves it.</summary>
public class TimerScheduleTests
{
    private static FunctionCatalog Catalog() =>
        FunctionCatalog.Discover(typeof(ServiceRegistration).Assembly, HostJson.Load(Path.Combine(AppContext.BaseDirectory, "host.json")));

    [Fact]
    public void Every_timer_reads_its_schedule_from_a_setting_that_the_sample_settings_define_as_NCRONTAB()
    {
        var sample = new ConfigurationBuilder().AddJsonFile(RepositoryFiles.Find("local.settings.sample.json")!).Build().GetSection("Values");
        var timers = Catalog().Functions.Where(f => f.Trigger is TimerFunctionTrigger).ToList();

        Assert.NotEmpty(timers);
        foreach (var timer in timers)
        {
            var schedule = ((TimerFunctionTrigger)timer.Trigger).Schedule;
            Assert.Equal($"%Timers_{timer.Name}%", schedule);
            var value = sample[$"Timers_{timer.Name}"] ?? "";
            Assert.True(CronExpression.TryParse(value, CronFormat.IncludeSeconds, out _), $"{timer.Name}: '{value}' is not a six-field NCRONTAB schedule");
        }
    }

    [Fact]
    public void A_setting_expression_resolves_to_its_value_and_an_unset_one_names_the_setting()
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Timers_SequenceLog"] = "*/7 * * * * *" }).Build();

        Assert.Equal("*/7 * * * * *", SettingExpressions.Resolve("%Timers_SequenceLog%", settings, "SequenceLog"));
        var missing = Assert.Throws<InvalidOperationException>(() => SettingExpressions.Resolve("%Timers_Nothing%", settings, "Nothing"));
        Assert.Contains("Timers_Nothing", missing.Message, StringComparison.Ordinal);
    }
}
