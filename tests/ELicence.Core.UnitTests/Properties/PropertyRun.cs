using FsCheck;
using FsCheck.Fluent;

namespace ELicence.Core.UnitTests.Properties;

/// <summary>
/// Runs a property over generated inputs. The count of each property is multiplied by ELICENCE_PROPERTY_SCALE (default 1)
/// so a nightly run can try many more (docs/operations.md). A property fails on any exception other than the ones it allows.
/// </summary>
internal static partial class PropertyRun
{
    public static int Scale { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("ELICENCE_PROPERTY_SCALE"), out var scale) && scale > 0 ? scale : 1;

    /// <summary>Checks <paramref name="property"/> on <paramref name="count"/> × scale inputs and returns how many it ran.</summary>
    public static int Check<T>(Gen<T> inputs, int count, Action<T> property)
    {
        var ran = 0;
        Prop.ForAll(inputs.ToArbitrary(), (T input) =>
            {
                Interlocked.Increment(ref ran);
                property(input);
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(count * Scale).WithQuietOnSuccess(true).WithEndSize(200));
        return ran;
    }
}
