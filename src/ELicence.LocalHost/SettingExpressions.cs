using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace ELicence.LocalHost;

/// <summary>
/// Binding expressions as the Functions host resolves them: each <c>%Name%</c> in a trigger's schedule or queue name is
/// replaced by the app setting <c>Name</c>; an unset one stops the host at start, as it stops the Functions host's indexing.
/// </summary>
public static partial class SettingExpressions
{
    public static string Resolve(string expression, IConfiguration configuration, string function)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(configuration);
        return Setting().Replace(expression, m =>
        {
            var name = m.Groups[1].Value;
            var value = configuration[name];
            return string.IsNullOrWhiteSpace(value)
                ? throw new InvalidOperationException($"{function}: '%{name}%' does not resolve to a value; set '{name}' (local.settings.sample.json has the default).")
                : value;
        });
    }

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex Setting();
}
