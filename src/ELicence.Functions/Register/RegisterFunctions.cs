using System.Globalization;
using System.Text;
using ELicence.Core.Register;
using Microsoft.Net.Http.Headers;

namespace ELicence.Functions.Register;

/// <summary>The public register: search (verifiers, registrars, and anyone under a per-client limit), the change feed, snapshots and deltas.</summary>
public sealed class RegisterFunctions(HttpApi api, RegisterSearch search, ChangeFeedReader feed, RegisterFiles files)
{
    public const string JsonLines = "application/jsonl";

    [Function("SearchRegister")]
    public Task<IActionResult> Search([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/register/search")] HttpRequest req) =>
        api.RunAsync(req, Access.RegistrarOrVerifier, async _ => ApiResults.Json(await search.SearchAsync(SearchRequest(req), req.HttpContext.RequestAborted)));

    /// <summary>The same search for the public page, without credentials, under the stricter <see cref="RatePolicy.RegisterSearch"/> per-client limit.</summary>
    [Function("SearchRegisterPublic")]
    public Task<IActionResult> SearchPublic([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/register/public-search")] HttpRequest req) =>
        api.RunAnonymousAsync(req, RatePolicy.RegisterSearch, async () => ApiResults.Json(
            await search.SearchAsync(SearchRequest(req), req.HttpContext.RequestAborted),
            StatusCodes.Status200OK,
            new Dictionary<string, string> { ["Access-Control-Allow-Origin"] = "*", ["Cache-Control"] = "public, max-age=60" }));

    /// <summary>JSON Lines when the caller accepts <c>application/jsonl</c>, else a JSON page; the cursor to resume from is in <c>ELicence-Cursor</c> either way.</summary>
    [Function("GetRegisterChanges")]
    public Task<IActionResult> Changes([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/register/changes")] HttpRequest req) =>
        api.RunAsync(req, Access.RegistrarOrVerifier, async _ =>
        {
            var page = await feed.ReadAsync(new FeedRequest(HttpApi.QueryOnce(req, "after"), HttpApi.QueryOnce(req, "limit"), HttpApi.QueryOnce(req, "wait")), req.HttpContext.RequestAborted);
            var cursor = page.Cursor.ToString(CultureInfo.InvariantCulture);
            var headers = new Dictionary<string, string> { ["ELicence-Cursor"] = cursor, ["Cache-Control"] = "private, no-store" };
            if (AcceptsJsonLines(req))
            {
                var body = new StringBuilder();
                foreach (var entry in page.Changes)
                {
                    body.Append(ElicenceJson.Serialize(entry)).Append('\n');
                }

                return new BodyResult(StatusCodes.Status200OK, JsonLines + "; charset=utf-8", Encoding.UTF8.GetBytes(body.ToString()), headers);
            }

            return ApiResults.Json(new { changes = page.Changes, cursor = page.Cursor, last = page.Last, next = $"/api/v1/register/changes?after={cursor}" }, StatusCodes.Status200OK, headers);
        });

    [Function("ListRegisterSnapshots")]
    public Task<IActionResult> Snapshots([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/register/snapshots")] HttpRequest req) =>
        api.RunAnonymousAsync(req, async () =>
        {
            var published = await files.ListAsync(req.HttpContext.RequestAborted);
            var views = published.Select(f => new
            {
                f.Manifest.Kind,
                f.Manifest.File,
                Url = FileUrl(f.Manifest.File),
                f.Manifest.Size,
                f.Manifest.Sha256,
                f.Manifest.Records,
                f.Manifest.FirstSequence,
                f.Manifest.LastSequence,
                f.Manifest.CreatedAt,
                Manifest = f.ManifestJws,
            }).ToList();
            var latest = views.LastOrDefault(v => v.Kind == RegisterFileManifest.SnapshotKind);
            return ApiResults.Json(
                new { latestSnapshot = latest, deltas = views.Where(v => v.Kind == RegisterFileManifest.DeltaKind), snapshots = views.Where(v => v.Kind == RegisterFileManifest.SnapshotKind) },
                StatusCodes.Status200OK,
                new Dictionary<string, string> { ["Cache-Control"] = "public, max-age=60", ["Access-Control-Allow-Origin"] = "*" });
        });

    /// <summary>A snapshot or delta file: its name never changes content, so it may be cached for good.</summary>
    [Function("GetRegisterFile")]
    public Task<IActionResult> File([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/register/files/{name}")] HttpRequest req, string name) =>
        api.RunAnonymousAsync(req, async () => new BodyResult(StatusCodes.Status200OK, "application/gzip", await files.ReadAsync(name, req.HttpContext.RequestAborted), new Dictionary<string, string>
        {
            ["Cache-Control"] = "public, max-age=31536000, immutable",
            ["Content-Disposition"] = $"attachment; filename=\"{name}\"",
            ["Access-Control-Allow-Origin"] = "*",
        }));

    /// <summary>Every hour on the hour: the feed's entries since the previous delta.</summary>
    [Function("PublishRegisterDelta")]
    public Task PublishDelta([TimerTrigger("0 0 * * * *")] TimerInfo timer, CancellationToken cancellationToken) => files.PublishDeltaAsync(cancellationToken);

    /// <summary>Daily at 00:30 China time (16:30 UTC): the whole public register, then the feed trimmed to its retention window.</summary>
    [Function("PublishRegisterSnapshot")]
    public Task PublishSnapshot([TimerTrigger("0 30 16 * * *")] TimerInfo timer, CancellationToken cancellationToken) => files.PublishSnapshotAsync(cancellationToken);

    public static string FileUrl(string name) => "/api/v1/register/files/" + name;

    private static RegisterSearchRequest SearchRequest(HttpRequest req) =>
        new(HttpApi.QueryOnce(req, "q"), HttpApi.QueryOnce(req, "status"), HttpApi.QueryOnce(req, "entityType"), HttpApi.QueryOnce(req, "limit"), HttpApi.QueryOnce(req, "continuationToken"));

    private static bool AcceptsJsonLines(HttpRequest req) =>
        MediaTypeHeaderValue.TryParseList(req.Headers.Accept, out var accepted)
        && accepted.Any(a => a.MediaType.Equals(JsonLines, StringComparison.OrdinalIgnoreCase) && (a.Quality ?? 1) > 0);
}
