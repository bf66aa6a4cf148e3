using System.Text.RegularExpressions;
using ELicence.Core.Problems;
using ELicence.Functions.Composition;

namespace ELicence.IntegrationTests;

/// <summary>The API reference stays true: every HTTP function is in docs/openapi.yaml with its methods, and nothing else is.</summary>
public partial class DocsTests
{
    [Fact]
    public void Every_HTTP_function_is_documented_in_the_OpenAPI_file_and_every_documented_operation_exists()
    {
        var catalog = FunctionCatalog.Discover(typeof(ServiceRegistration).Assembly, HostJson.Load(Path.Combine(AppContext.BaseDirectory, "host.json")));
        var functions = catalog.Functions
            .Where(f => f.Trigger is HttpFunctionTrigger)
            .SelectMany(f => ((HttpFunctionTrigger)f.Trigger).Methods.Where(m => m != "HEAD").Select(m => $"{m} /{((HttpFunctionTrigger)f.Trigger).Route}"))
            .Order()
            .ToList();

        var documented = new List<string>();
        string? path = null;
        foreach (var line in File.ReadAllLines(RepositoryFiles.Find("docs/openapi.yaml")!))
        {
            if (PathLine().Match(line) is { Success: true } p)
            {
                path = p.Groups[1].Value;
            }
            else if (path is not null && MethodLine().Match(line) is { Success: true } m)
            {
                documented.Add($"{m.Groups[1].Value.ToUpperInvariant()} {path}");
            }
            else if (line.StartsWith("components:", StringComparison.Ordinal))
            {
                break;
            }
        }

        Assert.Equal(functions, documented.Order().ToList());
    }

    /// <summary>HEAD is GET without the body (RFC 9110 §9.3.2): every GET function declares it, so both hosts answer it; the OpenAPI file says so once.</summary>
    [Fact]
    public void Every_GET_function_also_answers_HEAD_and_nothing_else_does()
    {
        var catalog = FunctionCatalog.Discover(typeof(ServiceRegistration).Assembly, HostJson.Load(Path.Combine(AppContext.BaseDirectory, "host.json")));
        var triggers = catalog.Functions.Select(f => f.Trigger).OfType<HttpFunctionTrigger>().ToList();

        Assert.All(triggers, t => Assert.Equal(t.Methods.Contains("GET"), t.Methods.Contains("HEAD")));
        Assert.Contains("HEAD", File.ReadAllText(RepositoryFiles.Find("docs/openapi.yaml")!), StringComparison.Ordinal);
    }

    [Fact]
    public void The_OpenAPI_problem_types_are_exactly_the_catalogue()
    {
        var documented = File.ReadAllLines(RepositoryFiles.Find("docs/openapi.yaml")!)
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("- " + ProblemType.UriPrefix, StringComparison.Ordinal))
            .Select(l => l[2..])
            .Order()
            .ToList();

        Assert.Equal(ProblemType.All.Select(t => t.Uri).Order().ToList(), documented);
    }

    [GeneratedRegex("^  (/[^:]*):\\s*$")]
    private static partial Regex PathLine();

    [GeneratedRegex("^    (get|post|put|patch|delete):\\s*$")]
    private static partial Regex MethodLine();
}
