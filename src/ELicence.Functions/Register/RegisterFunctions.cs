using System.Globalization;
using System.Text;
using ELicence.Core.Register;
using Microsoft.Net.Http.Headers;

namespace ELicence.Functions.Register;

/// <summary>The public register: search (verifiers, registrars, and anyone under a per-client limit), the change feed, snapshots and deltas.</summary>
public sealed class RegisterFunctions(HttpApi<RegisterFunctions> api, RegisterSearch search, ChangeFeedReader feed, RegisterFiles files)
{
    public const string JsonLines = "application/jsonl";

    [Function("SearchRegister")]
    [Endpoint(Access.RegistrarOrVerifier)]
    public Task<IActionResult> Search([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/register/search")] HttpRequest req) =>
        api.RunAsync(req, async call => ApiResults.Json(await search.SearchAsync(SearchRequest(call), call.Cancellation)));

    /// <summary>The same search for the public page, without credentials, under the stricter <see cref="RatePolicy.RegisterSearch"/> per-client limit.</summary>
    [Function("SearchRegisterPublic")]
    [Endpoint(Access.Anyone, Rate = RatePolicy.RegisterSearch, Cache = CachePolicy.PublicMinute, Cors = true)]
    public Task<IActionResult> SearchPublic([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/register/public-search")] HttpRequest req) =>
        api.RunAsync(req, async call => ApiResults.Json(await search.SearchAsync(SearchRequest(call), call.Cancellation)));

    /// <summary>JSON Lines when the caller accepts <c>application/jsonl</c>, else a JSON page; the cursor to resume from is in <c>ELicence-Cursor</c> either way.</summary>
    [Function("GetRegisterChanges")]
    [Endpoint(Access.RegistrarOrVerifier, Cache = CachePolicy.PrivateNoStore)]
    public Task<IActionResult> Changes([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/register/changes")] HttpRequest req) =>
        api.RunAsync(req, async call =>
        {
            var page = await feed.ReadAsync(new FeedRequest(call.Query("after"), call.Query("limit"), call.Query("wait")), call.Cancellation);
            var cursor = page.Cursor.ToString(CultureInfo.InvariantCulture);
            var headers = new Dictionary<string, string> { ["ELicence-Cursor"] = cursor };
            if (AcceptsJsonLines(req))
            {
                var body = new StringBuilder();
                foreach (var entry in page.Changes)
                {
                    body.Append(ElicenceJson.Serialize(entry)).Append('\n');
                }

                return new BodyResult(StatusCodes.Status200OK, JsonLines + "; charset=utf-8", Encoding.UTF8.GetBytes(body.ToString()), headers);
            }

            return ApiResults.Json(new FeedPageView(page.Changes, page.Cursor, page.Last, $"/api/v1/register/changes?after={cursor}"), StatusCodes.Status200OK, headers);
        });

    [Function("ListRegisterSnapshots")]
    [Endpoint(Access.Anyone, Cache = CachePolicy.PublicMinute, Cors = true)]
    public Task<IActionResult> Snapshots([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/register/snapshots")] HttpRequest req) =>
        api.RunAsync(req, async call =>
        {
            var published = await files.ListAsync(call.Cancellation);
            var views = published.Select(RegisterFileView.From).ToList();
            var snapshots = views.Where(v => v.Kind == RegisterFileManifest.SnapshotKind).ToList();
            return ApiResults.Json(new RegisterFilesView(snapshots.LastOrDefault(), [.. views.Where(v => v.Kind == RegisterFileManifest.DeltaKind)], snapshots));
        });

    /// <summary>A snapshot or delta file: its name never changes content, so it may be cached for good.</summary>
    [Function("GetRegisterFile")]
    [Endpoint(Access.Anyone, Cache = CachePolicy.Immutable, Cors = true)]
    public Task<IActionResult> File([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/register/files/{name}")] HttpRequest req, string name) =>
        api.RunAsync(req, async call => new BodyResult(StatusCodes.Status200OK, "application/gzip", await files.ReadAsync(name, call.Cancellation), new Dictionary<string, string>
        {
            ["Content-Disposition"] = $"attachment; filename=\"{name}\"",
        }));

    /// <summary>Every hour on the hour: the feed's entries since the previous delta.</summary>
    [Function("PublishRegisterDelta")]
    public Task PublishDelta([TimerTrigger("%Timers_PublishRegisterDelta%")] TimerInfo timer, CancellationToken cancellationToken) => files.PublishDeltaAsync(cancellationToken);

    /// <summary>Daily at 00:30 China time (16:30 UTC): the whole public register, then the feed trimmed to its retention window.</summary>
    [Function("PublishRegisterSnapshot")]
    public Task PublishSnapshot([TimerTrigger("%Timers_PublishRegisterSnapshot%")] TimerInfo timer, CancellationToken cancellationToken) => files.PublishSnapshotAsync(cancellationToken);

    public static string FileUrl(string name) => "/api/v1/register/files/" + name;

    private static RegisterSearchRequest SearchRequest(HttpCall call) =>
        new(call.Query("q"), call.Query("status"), call.Query("entityType"), call.Query("limit"), call.Query("continuationToken"));

    private static bool AcceptsJsonLines(HttpRequest req) =>
        MediaTypeHeaderValue.TryParseList(req.Headers.Accept, out var accepted)
        && accepted.Any(a => a.MediaType.Equals(JsonLines, StringComparison.OrdinalIgnoreCase) && (a.Quality ?? 1) > 0);
}

/// <summary>A page of the change feed as JSON: the cursor to resume from, the feed's last sequence, and the next page's link.</summary>
public sealed record FeedPageView(IReadOnlyList<FeedEntry> Changes, long Cursor, long Last, string Next);

/// <summary>A published snapshot or delta: its manifest's fields, where to fetch it, and the signed manifest.</summary>
public sealed record RegisterFileView(string Kind, string File, string Url, long Size, string Sha256, long Records, long FirstSequence, long LastSequence, DateTimeOffset CreatedAt, string Manifest)
{
    public static RegisterFileView From(RegisterFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var m = file.Manifest;
        return new(m.Kind, m.File, RegisterFunctions.FileUrl(m.File), m.Size, m.Sha256, m.Records, m.FirstSequence, m.LastSequence, m.CreatedAt, file.ManifestJws);
    }
}

/// <summary>The newest snapshot (to start from), then every delta and snapshot still published, oldest first.</summary>
public sealed record RegisterFilesView(RegisterFileView? LatestSnapshot, IReadOnlyList<RegisterFileView> Deltas, IReadOnlyList<RegisterFileView> Snapshots);
