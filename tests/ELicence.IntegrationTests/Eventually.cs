using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace ELicence.IntegrationTests;

/// <summary>
/// Waits for what the service does in the background (the receipt relay writes usage and index rows seconds after a
/// verification): polls until the condition holds and fails after a deadline. It asserts an outcome, never a speed.
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Still not {what} after {Deadline.TotalSeconds} s.");
            await Task.Delay(50);
        }
    }

    /// <summary>The licence's usage records (first page, newest first) once there are at least <paramref name="count"/>.</summary>
    public static async Task<List<JsonElement>> UsageAsync(this ServiceFixture service, string code, string key, int count, string query = "")
    {
        var path = $"/api/v1/licences/{code}/usage" + query;
        return await PollAsync(
            async () =>
            {
                var (status, body, _) = await service.SendAsync(HttpMethod.Get, path, key);
                Assert.Equal(HttpStatusCode.OK, status);
                return body.GetProperty("items").EnumerateArray().ToList();
            },
            items => items.Count >= count,
            $"{count} usage records of {code}");
    }

    /// <summary>The rows a table filter selects, once there is at least one.</summary>
    public static Task<List<Azure.Data.Tables.TableEntity>> RowsAsync(this ServiceFixture service, string table, string filter) =>
        PollAsync(() => service.QueryAsync(table, filter), rows => rows.Count > 0, $"a row in {table} where {filter}");

    /// <summary>The leaf ids among <paramref name="ids"/> that are in the log's hands: pending, or already sequenced (the sequencer runs every few seconds and removes what it sequenced).</summary>
    public static async Task<HashSet<string>> InLogAsync(this IServiceProvider services, params string[] ids)
    {
        var pending = (await services.GetRequiredService<ELicence.Storage.Log.PendingLeafStore>().ReadAsync(1_000_000, default)).Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        var index = services.GetRequiredService<ELicence.Storage.Log.LogIndexStore>();
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (pending.Contains(id) || await index.FindIndexAsync(id, default) is not null)
            {
                found.Add(id);
            }
        }

        return found;
    }
}
