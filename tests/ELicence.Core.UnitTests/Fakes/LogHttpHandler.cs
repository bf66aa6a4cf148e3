using System.Globalization;
using System.Net;
using System.Text.Json;
using ELicence.Core.Log;
using ELicence.Tlog;

namespace ELicence.Core.UnitTests.Fakes;

/// <summary>
/// Serves an <see cref="InMemoryLog"/> at the log API's fixed paths (checkpoint, key, tlog-tiles resources, consistency
/// proofs computed from the stored tiles), as the service does, so the auditor can be run against it without a host.
/// Whatever is in <see cref="Log"/> when a request arrives is served: tamper with it to play a dishonest log.
/// </summary>
public sealed class LogHttpHandler(InMemoryLog log, string verifierKey) : HttpMessageHandler
{
    public const string BaseUrl = "http://log.test";

    public InMemoryLog Log { get; set; } = log;

    public List<string> Requests { get; } = [];

    /// <summary>Runs before each tile or entry bundle is served, with how many were served before (to change the log mid-audit).</summary>
    public Func<int, Task>? BeforeTile { get; set; }

    /// <summary>Answers served instead of the log's, by path below <c>/api/v1/log/</c> (a lying or broken server).</summary>
    public Dictionary<string, string> Overrides { get; } = new(StringComparer.Ordinal);

    private int _tilesServed;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        Requests.Add(uri.PathAndQuery);
        const string prefix = "/api/v1/log/";
        if (request.Method != HttpMethod.Get || !uri.AbsolutePath.StartsWith(prefix, StringComparison.Ordinal))
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound);
        }

        var path = uri.AbsolutePath[prefix.Length..];
        if (Overrides.TryGetValue(path, out var answer))
        {
            return Text(answer);
        }

        switch (path)
        {
            case "checkpoint":
                return Log.CheckpointNote is { } note ? Text(note) : new HttpResponseMessage(HttpStatusCode.NotFound);
            case "key":
                return Text(verifierKey);
            case "proofs/consistency":
                return await ConsistencyAsync(uri, cancellationToken);
        }

        if (path.StartsWith("tile/", StringComparison.Ordinal) && BeforeTile is { } before)
        {
            await before(_tilesServed++);
        }

        return path.StartsWith("tile/", StringComparison.Ordinal) && await Log.ReadAsync(path, cancellationToken) is { } content
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(content) }
            : new HttpResponseMessage(HttpStatusCode.NotFound);
    }

    private async Task<HttpResponseMessage> ConsistencyAsync(Uri uri, CancellationToken cancellationToken)
    {
        var query = uri.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
        var (from, to) = (query["from"], query["to"]);
        var size = Log.CheckpointNote is { } note && Checkpoint.TryParse(note[..(note.IndexOf("\n\n", StringComparison.Ordinal) + 1)], out var current) ? current!.Size : 0;
        if (from < 1 || from > to || to > size)
        {
            return new HttpResponseMessage(HttpStatusCode.BadRequest);
        }

        var hashes = await new TreeHashes(Log, to).ProofAsync(MerkleRanges.Consistency(from, to), cancellationToken);
        return Json(new { from, treeSize = to, hashes = hashes.Select(Convert.ToBase64String) });
    }

    private static HttpResponseMessage Text(string text) =>
        new(HttpStatusCode.OK) { Content = new StringContent(text, Encoding.UTF8, "text/plain") };

    private static HttpResponseMessage Json(object body) =>
        new(HttpStatusCode.OK) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
}
