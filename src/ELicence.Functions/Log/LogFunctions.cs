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
public sealed class LogFunctions(HttpApi api, LogReader log, ReceiptQueries receipts, LogSequencing sequencing)
{
    /// <summary>How long a client waits before asking again for a receipt not yet sequenced (the timer's period, rounded up).</summary>
    public const int RetryAfterSeconds = 3;

    private static readonly Dictionary<string, string> Fresh = new() { ["Cache-Control"] = "public, max-age=2", ["Access-Control-Allow-Origin"] = "*" };

    [Function("GetLogCheckpoint")]
    public Task<IActionResult> Checkpoint([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/log/checkpoint")] HttpRequest req) =>
        api.RunAnonymousAsync(req, async () => ApiResults.Text(await log.NoteAsync(req.HttpContext.RequestAborted), "text/plain; charset=utf-8", Fresh));

    [Function("GetLogKey")]
    public Task<IActionResult> Key([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/log/key")] HttpRequest req) =>
        api.RunAnonymousAsync(req, async () => ApiResults.Text(await log.VerifierKeyAsync(req.HttpContext.RequestAborted), "text/plain; charset=utf-8", new Dictionary<string, string>
        {
            ["Cache-Control"] = "public, max-age=3600",
            ["Access-Control-Allow-Origin"] = "*",
        }));

    /// <summary>C2SP tlog-tiles resources under <c>tile/</c>: full tiles never change; a partial tile is replaced by a wider one as the tree grows.</summary>
    [Function("GetLogTile")]
    public Task<IActionResult> Tile([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/log/tile/{**path}")] HttpRequest req, string path) =>
        api.RunAnonymousAsync(req, async () =>
        {
            var resource = await log.TileAsync(path, req.HttpContext.RequestAborted)
                ?? throw ProblemException.NotFound("The current tree has no such tile or entry bundle.");
            return new BodyResult(StatusCodes.Status200OK, "application/octet-stream", resource.Content, new Dictionary<string, string>
            {
                ["Cache-Control"] = resource.Immutable ? "public, max-age=31536000, immutable" : "public, max-age=10",
                ["Access-Control-Allow-Origin"] = "*",
            });
        });

    [Function("GetLogInclusionProof")]
    public Task<IActionResult> Inclusion([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/log/proofs/inclusion")] HttpRequest req) =>
        api.RunAnonymousAsync(req, async () =>
            ApiResults.Json(await log.InclusionAsync(HttpApi.QueryOnce(req, "leaf"), HttpApi.QueryOnce(req, "size"), req.HttpContext.RequestAborted), StatusCodes.Status200OK, Fresh));

    [Function("GetLogConsistencyProof")]
    public Task<IActionResult> Consistency([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/log/proofs/consistency")] HttpRequest req) =>
        api.RunAnonymousAsync(req, async () =>
            ApiResults.Json(await log.ConsistencyAsync(HttpApi.QueryOnce(req, "from"), HttpApi.QueryOnce(req, "to"), req.HttpContext.RequestAborted), StatusCodes.Status200OK, Fresh));

    /// <summary>Receipt, proof and checkpoint together verify offline. Until the receipt is sequenced (seconds): 404 with Retry-After.</summary>
    [Function("GetReceiptProof")]
    public Task<IActionResult> ReceiptProof([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/receipts/{id}/proof")] HttpRequest req, string id) =>
        api.RunAsync(req, Access.RegistrarOrVerifier, async caller =>
        {
            var receipt = await receipts.GetAsync(caller, id, req.HttpContext.RequestAborted);
            var proof = await log.ProofOfAsync(LogEntries.ReceiptLeafId(receipt.Id), req.HttpContext.RequestAborted);
            if (proof is null)
            {
                req.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                throw ProblemException.NotFound($"Receipt '{receipt.Id}' is not yet sequenced into the log; ask again in a few seconds.");
            }

            return ApiResults.Json(proof, StatusCodes.Status200OK, new Dictionary<string, string> { ["Cache-Control"] = "private, no-store" });
        });

    /// <summary>What the log says about one licence: a holder watching its own licence sees any event it did not expect.</summary>
    [Function("GetLicenceLog")]
    public Task<IActionResult> LicenceLog([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/licences/{code}/log")] HttpRequest req, string code) =>
        api.RunAsync(req, Access.RegistrarOrHolder, async caller =>
        {
            var creditCode = log.ParseCode(code);
            caller.EnsureMayReadLicence(creditCode);
            var page = await log.AboutAsync(creditCode, HttpApi.QueryOnce(req, "after"), req.HttpContext.RequestAborted);
            var next = page.NextAfter is { } after ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"/api/v1/licences/{creditCode}/log?after={after}") : null;
            return ApiResults.Json(new { items = page.Items, next }, StatusCodes.Status200OK, new Dictionary<string, string> { ["Cache-Control"] = "private, no-store" });
        });

    /// <summary>Every two seconds: sequence what producers left pending (a run that finds the lease taken does nothing).</summary>
    [Function("SequenceLog")]
    public Task Sequence([TimerTrigger("*/2 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) => sequencing.RunAsync(cancellationToken);

    /// <summary>A nudge to sequence now; the message's content does not matter.</summary>
    [Function("SequenceLogNow")]
    public Task SequenceNow([QueueTrigger(StorageNames.LogSequenceQueue)] string message, CancellationToken cancellationToken) => sequencing.RunAsync(cancellationToken);
}
