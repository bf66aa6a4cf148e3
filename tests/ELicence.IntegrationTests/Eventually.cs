using System.Net;
using System.Text.Json;

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
}
