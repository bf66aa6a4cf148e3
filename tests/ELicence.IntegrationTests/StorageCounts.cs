using Azure.Data.Tables;
using ELicence.Storage;

namespace ELicence.IntegrationTests;

/// <summary>Counts what is stored, read straight from Azurite, to prove that a refused request stored nothing.</summary>
internal static class StorageCounts
{
    /// <summary>What a request can create directly; licences are left out because issuance of earlier tests' applications may still run.</summary>
    public static async Task<(int Applications, int Receipts)> SnapshotAsync(this ServiceFixture service)
    {
        var applications = await CountAsync(service.Storage.Table(StorageNames.ApplicationsTable));
        var receipts = 0;
        await foreach (var _ in service.Storage.Container(StorageNames.ReceiptsContainer).GetBlobsAsync())
        {
            receipts++;
        }

        return (applications, receipts);
    }

    public static async Task<List<TableEntity>> QueryAsync(this ServiceFixture service, string table, string filter)
    {
        var result = new List<TableEntity>();
        await foreach (var e in service.Storage.Table(table).QueryAsync<TableEntity>(filter))
        {
            result.Add(e);
        }

        return result;
    }

    private static async Task<int> CountAsync(TableClient table)
    {
        var n = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            n++;
        }

        return n;
    }
}
