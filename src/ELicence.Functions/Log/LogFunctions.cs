using ELicence.Core.Log;
using ELicence.Core.Receipts;
using ELicence.Storage;
using ELicence.Storage.Log;
using ELicence.Tlog;

namespace ELicence.Functions.Log;

/// <summary>
/// The transparency log: its public resources (checkpoint, note verifier key, tlog-tiles, proofs) for anyone; a receipt's
/// proof for whoever may read the receipt; a licence's entries for the registrar and its holder; and the sequencer, run
/// by a timer every two seconds and by nudges on <c>log-sequence</c>, one writer at a time under a blob lease.
/// </summary>
public sealed class LogFunctions(HttpApi<LogFunctions> api, LogReader log, ReceiptQueries receipts, LogSequencing sequencing)
{
    /// <summary>How long a client waits before asking again for a receipt not yet sequenced (the timer's period, rounded up).</summary>
    public const int RetryAfterSeconds = 3;

    /// <summary>A partial tile is replaced by a wider one within seconds of growth; a mirror asks again after this.</summary>
    private static readonly TimeSpan PartialTileMaxAge = TimeSpan.FromSeconds(10);

    [Function("GetLogCheckpoint")]
    [Endpoint(Access.Anyone, Cache = CachePolicy.Live, Cors = true)]
    public Task<IActionResult> Checkpoint([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/log/checkpoint")] HttpRequest req) =>
        api.RunAsync(req, async call => ApiResults.Text(await log.NoteAsync(call.Cancellation), "text/plain; charset=utf-8"));

    [Function("GetLogKey")]
    [Endpoint(Access.Anyone, Cache = CachePolicy.PublicHour, Cors = true)]
    public Task<IActionResult> Key([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/log/key")] HttpRequest req) =>
        api.RunAsync(req, async call => ApiResults.Text(await log.VerifierKeyAsync(call.Cancellation), "text/plain; charset=utf-8"));

    /// <summary>C2SP tlog-tiles resources under <c>tile/</c>: full tiles never change; a partial tile is replaced by a wider one as the tree grows.</summary>
    [Function("GetLogTile")]
    [Endpoint(Access.Anyone, Cache = CachePolicy.Immutable, Cors = true)]
    public Task<IActionResult> Tile([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/log/tile/{**path}")] HttpRequest req, string path) =>
        api.RunAsync(req, async call =>
        {
            var resource = await log.TileAsync(path, call.Cancellation)
                ?? throw ProblemException.NotFound("The current tree has no such tile or entry bundle.");
            if (!resource.Immutable)
            {
                call.CacheFor(PartialTileMaxAge);
            }

            return new BodyResult(StatusCodes.Status200OK, "application/octet-stream", resource.Content);
        });

    [Function("GetLogInclusionProof")]
    [Endpoint(Access.Anyone, Cache = CachePolicy.Live, Cors = true)]
    public Task<IActionResult> Inclusion([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/log/proofs/inclusion")] HttpRequest req) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(await log.InclusionAsync(call.Query("leaf"), call.Query("size"), call.Cancellation)));

    [Function("GetLogConsistencyProof")]
    [Endpoint(Access.Anyone, Cache = CachePolicy.Live, Cors = true)]
    public Task<IActionResult> Consistency([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/log/proofs/consistency")] HttpRequest req) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(await log.ConsistencyAsync(call.Query("from"), call.Query("to"), call.Cancellation)));

    /// <summary>Receipt, proof and checkpoint together verify offline. Until the receipt is sequenced (seconds): 404 with Retry-After.</summary>
    [Function("GetReceiptProof")]
    [Endpoint(Access.RegistrarOrVerifier, Cache = CachePolicy.PrivateNoStore)]
    public Task<IActionResult> ReceiptProof([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/receipts/{id}/proof")] HttpRequest req, string id) =>
        api.RunAsync(req, async call =>
        {
            var receipt = await receipts.GetAsync(call.Caller, id, call.Cancellation);
            var proof = await log.ProofOfAsync(LogEntries.ReceiptLeafId(receipt.Id), call.Cancellation);
            if (proof is null)
            {
                req.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                throw ProblemException.NotFound($"Receipt '{receipt.Id}' is not yet sequenced into the log; ask again in a few seconds.");
            }

            return ApiResults.Json(proof);
        });

    /// <summary>What the log says about one licence: a holder watching its own licence sees any event it did not expect.</summary>
    [Function("GetLicenceLog")]
    [Endpoint(Access.RegistrarOrHolder, Cache = CachePolicy.PrivateNoStore)]
    public Task<IActionResult> LicenceLog([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/licences/{code}/log")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
        {
            var creditCode = log.ParseCode(code);
            call.Caller.EnsureMayReadLicence(creditCode);
            var page = await log.AboutAsync(creditCode, call.Query("after"), call.Cancellation);
            var next = page.NextAfter is { } after ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"/api/v1/licences/{creditCode}/log?after={after}") : null;
            return ApiResults.Json(new LicenceLogView(page.Items, next));
        });

    /// <summary>Every two seconds: sequence what producers left pending (a run that finds the lease taken does nothing).</summary>
    [Function("SequenceLog")]
    public Task Sequence([TimerTrigger("%Timers_SequenceLog%")] TimerInfo timer, CancellationToken cancellationToken) => sequencing.RunAsync(cancellationToken);

    /// <summary>A nudge to sequence now; the message's content does not matter.</summary>
    [Function("SequenceLogNow")]
    public Task SequenceNow([QueueTrigger(StorageNames.LogSequenceQueue)] string message, CancellationToken cancellationToken) => sequencing.RunAsync(cancellationToken);
}

/// <summary>A page of a licence's log entries, with the link to the next page when there is one.</summary>
public sealed record LicenceLogView(IReadOnlyList<LicenceLogItem> Items, string? Next);
