using System.Text.RegularExpressions;

namespace ELicence.IntegrationTests;

/// <summary>The README's layout table and docs/architecture.md name exactly the solution's projects and Core's slice folders.</summary>
public partial class DocsTests
{
    [Fact]
    public void The_README_layout_table_names_every_project_and_every_Core_slice_folder_and_nothing_else()
    {
        var rows = TableRows("README.md", "## Layout");

        Assert.Equal(Projects(), Tokens(rows, ProjectPath()).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(CoreSlices(), Tokens(rows.Where(r => r.StartsWith("| `src/ELicence.Core`", StringComparison.Ordinal)).Select(r => r.Split('|')[2]), SliceFolder()).Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void The_architecture_layers_table_names_every_project_and_every_Core_slice_folder_and_nothing_else()
    {
        var rows = TableRows("docs/architecture.md", "## Layers");

        Assert.Equal(Projects().Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToList(), Tokens(rows.Select(r => r.Split('|')[1]), ProjectName()).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(CoreSlices(), Tokens(rows.Where(r => r.StartsWith("| `ELicence.Core`", StringComparison.Ordinal)).Select(r => r.Split('|')[3]), SliceName()).Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>Every project of the solution, as its folder (<c>src/ELicence.Core</c>), in order.</summary>
    private static List<string> Projects() =>
        SolutionProject().Matches(File.ReadAllText(RepositoryFiles.Find("ELicence.sln")!))
            .Select(m => Path.GetDirectoryName(m.Groups[1].Value.Replace('\\', '/'))!.Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Core's slice folders (those holding source; not build output or a folder a move left empty), in order.</summary>
    private static List<string> CoreSlices() =>
        Directory.GetDirectories(Path.Combine(RepositoryFiles.Root(), "src", "ELicence.Core"))
            .Where(dir => Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories).Any())
            .Select(Path.GetFileName)
            .Where(name => name is not ("bin" or "obj"))
            .Select(name => name!)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The table rows of the section that starts with <paramref name="heading"/>.</summary>
    private static List<string> TableRows(string file, string heading) =>
        File.ReadAllLines(RepositoryFiles.Find(file)!)
            .SkipWhile(l => l != heading)
            .Skip(1)
            .TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .ToList();

    private static IEnumerable<string> Tokens(IEnumerable<string> rows, Regex token) =>
        rows.SelectMany(r => token.Matches(r).Select(m => m.Groups[1].Value)).Distinct(StringComparer.Ordinal);

    [GeneratedRegex("\"([^\"]+\\.csproj)\"")]
    private static partial Regex SolutionProject();

    [GeneratedRegex("`((?:src|tests|bench)/ELicence\\.[A-Za-z0-9.]+)`")]
    private static partial Regex ProjectPath();

    [GeneratedRegex("`(ELicence\\.[A-Za-z0-9.]+)`")]
    private static partial Regex ProjectName();

    [GeneratedRegex("`([A-Z][A-Za-z]+)/`")]
    private static partial Regex SliceFolder();

    [GeneratedRegex("`([A-Z][A-Za-z]+)`")]
    private static partial Regex SliceName();
}
