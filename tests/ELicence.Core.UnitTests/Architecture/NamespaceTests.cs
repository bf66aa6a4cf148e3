using System.Reflection;

namespace ELicence.Core.UnitTests.Architecture;

/// <summary>
/// Core's shape, checked on the compiled assembly: no infrastructure inside, a kernel that uses no slice, and slices
/// that use each other in one direction only.
/// </summary>
public sealed class NamespaceTests
{
    private static readonly Assembly Core = typeof(CoreRegistration).Assembly;

    /// <summary>
    /// The uses between slices that still close a circle, as "From -> To". The list only shrinks: an edge that closes a new
    /// circle fails the test, and so does an edge here that no longer does (take it out when you break it). Empty is the goal.
    /// </summary>
    private static readonly string[] KnownCycleEdges =
    [
        "Applications -> Credentials",
        "Applications -> Licences",
        "Applications -> StatusLists",
        "Applications -> Verification",
        "Credentials -> Licences",
        "Credentials -> StatusLists",
        "Licences -> Applications",
        "Licences -> Credentials",
        "Licences -> Receipts",
        "Licences -> StatusLists",
        "Licences -> Verification",
        "Presentations -> Credentials",
        "Presentations -> Licences",
        "Presentations -> Receipts",
        "Presentations -> StatusLists",
        "Presentations -> Verification",
        "Presentations -> Verifiers",
        "Receipts -> Licences",
        "Receipts -> Presentations",
        "Receipts -> Verification",
        "StatusLists -> Credentials",
        "StatusLists -> Licences",
        "Verification -> Credentials",
        "Verification -> Licences",
        "Verification -> Presentations",
        "Verification -> Receipts",
        "Verification -> StatusLists",
        "Verifiers -> Applications",
    ];

    [Fact]
    public void Core_references_no_Azure_PDF_QR_or_ASP_NET_assembly()
    {
        string[] forbidden = ["Azure.", "Microsoft.Azure.", "PdfSharp", "QRCoder", "Microsoft.AspNetCore."];
        var references = Core.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("ELicence.Jose", references);
        Assert.DoesNotContain(references, name => forbidden.Any(f => name.StartsWith(f, StringComparison.OrdinalIgnoreCase) || name == f.TrimEnd('.')));
    }

    [Fact]
    public void The_kernel_uses_no_other_slice()
    {
        var graph = CoreDependencies.Of(Core);

        Assert.Contains("Kernel", graph.Values.SelectMany(uses => uses.Keys));
        Assert.Empty(graph.TryGetValue("Kernel", out var uses) ? uses.Keys.Where(s => s is not ("Problems" or "Serialization")) : []);
    }

    [Fact]
    public void No_new_circle_between_slices_appears_and_broken_ones_are_struck_off()
    {
        var graph = CoreDependencies.Of(Core);
        var inCycle = CoreDependencies.Cycles(graph).SelectMany(component => component.SelectMany(from =>
            graph[from].Where(use => component.Contains(use.Key)).Select(use => (Edge: $"{from} -> {use.Key}", Example: use.Value))))
            .OrderBy(e => e.Edge, StringComparer.Ordinal)
            .ToList();

        var added = inCycle.Where(e => !KnownCycleEdges.Contains(e.Edge)).Select(e => $"{e.Edge} ({e.Example})").ToList();
        var broken = KnownCycleEdges.Where(k => inCycle.All(e => e.Edge != k)).ToList();

        Assert.True(added.Count == 0, "New uses close a circle between Core slices:\n" + string.Join("\n", added));
        Assert.True(broken.Count == 0, "No longer in a circle; strike them off KnownCycleEdges:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void The_reader_sees_uses_made_only_inside_method_bodies()
    {
        // The registration names the subscriber interface only as a type argument of a call in its body.
        var used = CoreDependencies.TypesUsedBy(typeof(ELicence.Core.Webhooks.WebhookRegistration));

        Assert.Contains(typeof(ILicenceEventSubscriber), used);
        Assert.DoesNotContain(string.Empty, CoreDependencies.Of(Core).Keys);
    }

    [Fact]
    public void The_cycle_finder_finds_a_circle_and_nothing_in_a_line()
    {
        var circle = new Dictionary<string, Dictionary<string, string>>
        {
            ["A"] = new() { ["B"] = "" },
            ["B"] = new() { ["C"] = "" },
            ["C"] = new() { ["A"] = "", ["D"] = "" },
            ["D"] = new() { ["E"] = "" },
        };
        var line = new Dictionary<string, Dictionary<string, string>>
        {
            ["A"] = new() { ["B"] = "", ["C"] = "" },
            ["B"] = new() { ["C"] = "" },
        };

        Assert.Equal(["A", "B", "C"], Assert.Single(CoreDependencies.Cycles(circle)));
        Assert.Empty(CoreDependencies.Cycles(line));
    }
}
