using ELicence.Storage;

namespace ELicence.IntegrationTests;

/// <summary>The Azure deployment declares every table, queue and container the code uses: read from the ARM JSON the real Bicep compiler makes.</summary>
public class InfraTests
{
    [Fact]
    public async Task The_compiled_template_creates_exactly_the_tables_queues_and_containers_the_code_uses()
    {
        var root = RepositoryFiles.Root();
        var output = Directory.CreateTempSubdirectory("elicence-arm");
        try
        {
            var (exit, stdout, stderr) = await ExternalProcess.RunAsync("bash", ["scripts/check-infra.sh", "--out", output.FullName], root);
            Assert.True(exit == 0, stdout + stderr);
            using var arm = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output.FullName, "main.json")));

            var template = Templates(arm.RootElement).Single(t => t.TryGetProperty("variables", out var v) && v.TryGetProperty("storageNames", out _));
            // loadJsonContent is inlined as a hidden variable ("$fxv#0") that storageNames points to.
            var variables = template.GetProperty("variables");
            var names = variables.GetProperty("storageNames") is { ValueKind: JsonValueKind.String } reference
                ? variables.GetProperty(reference.GetString()!.Replace("[variables('", "", StringComparison.Ordinal).Replace("')]", "", StringComparison.Ordinal))
                : variables.GetProperty("storageNames");
            var resources = template.GetProperty("resources").EnumerateArray().ToList();

            Assert.Equal(StorageNames.Tables.Order(), Strings(names, "tables").Order());
            Assert.Equal(StorageNames.Queues.Order(), Strings(names, "queues").Order());
            Assert.Equal(StorageNames.Containers.Order(), Strings(names, "containers").Order());
            Assert.Contains("variables('storageNames').tables", CopyOf(resources, "Microsoft.Storage/storageAccounts/tableServices/tables"), StringComparison.Ordinal);
            Assert.Contains("variables('storageNames').queues", CopyOf(resources, "Microsoft.Storage/storageAccounts/queueServices/queues"), StringComparison.Ordinal);
            Assert.Contains("variables('storageNames').containers", CopyOf(resources, "Microsoft.Storage/storageAccounts/blobServices/containers"), StringComparison.Ordinal);
            // Receipts are declared on their own, with their time-based immutability policy.
            Assert.Contains(resources, r => r.GetProperty("type").GetString() == "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies");
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static IEnumerable<JsonElement> Templates(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("resources", out _))
            {
                yield return element;
            }

            foreach (var member in element.EnumerateObject())
            {
                foreach (var nested in Templates(member.Value))
                {
                    yield return nested;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                foreach (var nested in Templates(item))
                {
                    yield return nested;
                }
            }
        }
    }

    private static List<string> Strings(JsonElement names, string kind) => [.. names.GetProperty(kind).EnumerateArray().Select(e => e.GetString()!)];

    private static string CopyOf(List<JsonElement> resources, string type) =>
        resources.Single(r => r.GetProperty("type").GetString() == type && r.TryGetProperty("copy", out _)).GetProperty("copy").GetProperty("count").GetString()!;
}
