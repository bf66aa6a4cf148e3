namespace ELicence.Core.UnitTests.Properties;

/// <summary>The service's half of the property runner: problems as answers. The generic half is shared with ELicence.Jose.Tests.</summary>
internal static partial class PropertyRun
{
    /// <summary>Runs <paramref name="action"/>; a <see cref="ProblemException"/> of one of <paramref name="allowed"/> types is an answer, anything else fails.</summary>
    public static void OnlyProblems(Action action, params ProblemType[] allowed)
    {
        try
        {
            action();
        }
        catch (ProblemException e) when (allowed.Contains(e.Type))
        {
        }
    }

    public static void OnlyProblems(Func<Task> action, params ProblemType[] allowed) =>
        OnlyProblems(() => action().GetAwaiter().GetResult(), allowed);
}
