using ELicence.Core.CreditCodes;
using ELicence.Core.KeyManagement;
using ELicence.Core.Keys;
using ELicence.Storage;

namespace ELicence.Functions.Keys;

/// <summary>
/// The public keys of the service (RFC 7517 JWK Set), for anyone to verify credentials and receipts; and the key life cycle
/// for the registrar: rotate now, withdraw a compromised key, follow the re-issue. A timer rotates on schedule.
/// </summary>
public sealed class KeyFunctions(HttpApi<KeyFunctions> api, IKeyRingProvider keys, KeyAdministration administration, Core.Proposals.ProposalService proposals, KeyRotationOptions options, ICreditCodeExceptions codeExceptions, ILogger<KeyFunctions> logger)
{
    /// <summary>Served at the site root (the route prefix is empty), where JOSE tooling looks for it. Cached no longer than a new key is announced before it signs.</summary>
    [Function("Jwks")]
    [Endpoint(Access.Anyone, Cors = true)]
    public Task<IActionResult> Jwks([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = ".well-known/jwks.json")] HttpRequest req) =>
        api.RunAsync(req, async call =>
        {
            var ring = await keys.GetAsync(call.Cancellation);
            call.CacheFor(options.JwksMaxAge);
            return ApiResults.Json(ring.ToJwks());
        });

    /// <summary>
    /// The root certificate of the service's own CA, the trust anchor of every ES256 key's <c>x5c</c>: DER as
    /// <c>application/pkix-cert</c> (RFC 2585), or PEM with <c>?format=pem</c>. It changes only if the ring is made anew.
    /// </summary>
    [Function("GetPkiRoot")]
    [Endpoint(Access.Anyone, Cors = true)]
    public Task<IActionResult> PkiRoot([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/pki/root.crt")] HttpRequest req) =>
        api.RunAsync(req, async call =>
        {
            var pki = (await keys.GetAsync(call.Cancellation)).Pki ?? throw ProblemException.NotFound("The key ring has no certificate authority yet.");
            var result = call.Query("format") switch
            {
                "pem" => ApiResults.Text(pki.Authority.RootPem(), "application/x-pem-file"),
                null or "der" => new BodyResult(StatusCodes.Status200OK, "application/pkix-cert", pki.Authority.Root.Certificate),
                _ => throw ProblemException.Invalid("format", "der (the default) or pem."),
            };
            call.CacheFor(TimeSpan.FromDays(1));
            return result;
        });

    /// <summary>Every key of the ring with its state and dates; never a private part.</summary>
    [Function("ListSigningKeys")]
    [Endpoint(Access.KeyAdministration, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/keys")] HttpRequest req) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(new SigningKeyList(await administration.ListAsync(call.Cancellation), options.RotateEvery, options.AnnounceFor)));

    /// <summary>Rotate now: a successor is announced and signs once its announce period is over. 202 when this call announced it, 200 when one was announced already.</summary>
    [Function("RotateSigningKey")]
    [Endpoint(Access.KeyAdministration, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> Rotate([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/keys/rotations")] HttpRequest req) =>
        api.RunAsync(req, async call =>
        {
            var body = await call.ReadJsonAsync<RotationRequest>();
            var rotation = await administration.RotateNowAsync(body, call.Cancellation);
            return ApiResults.Json(rotation, rotation.Started ? StatusCodes.Status202Accepted : StatusCodes.Status200OK);
        });

    /// <summary>Withdraws a key as compromised and starts re-issuing every current credential it signed; where four-eyes is on, a 409 pointing to <c>…/compromise-proposals</c>.</summary>
    [Function("CompromiseSigningKey")]
    [Endpoint(Access.KeyAdministration, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> Compromise([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/keys/{kid}/compromise")] HttpRequest req, string kid) =>
        api.RunAsync(req, async call =>
        {
            var body = await call.ReadJsonAsync<ReasonRequest>();
            var progress = await proposals.CompromiseDirectlyAsync(kid, body, call.Cancellation);
            return ApiResults.Json(progress, StatusCodes.Status202Accepted, new Dictionary<string, string>
            {
                ["Location"] = $"/api/v1/keys/{Uri.EscapeDataString(kid)}/reissue",
            });
        });

    [Function("GetKeyReissue")]
    [Endpoint(Access.KeyAdministration, Cache = CachePolicy.NoStore)]
    public Task<IActionResult> GetReissue([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/keys/{kid}/reissue")] HttpRequest req, string kid) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(await administration.GetReissueAsync(kid, call.Cancellation)));

    /// <summary>Every five minutes: announce, promote or remove keys as <c>Keys:RotateEvery</c> and the announce period say.</summary>
    [Function("RotateSigningKeys")]
    public Task RotateOnSchedule([TimerTrigger("%Timers_RotateSigningKeys%")] TimerInfo timer, CancellationToken cancellationToken) =>
        administration.RunScheduleAsync(cancellationToken);

    [Function("ReissueCredentials")]
    public Task Reissue([QueueTrigger(StorageNames.KeyReissueQueue)] string message, CancellationToken cancellationToken)
    {
        var parsed = ReissueMessage.TryParse(message);
        CreditCode? code = null;
        if (parsed?.Code is { } c && CreditCode.TryParse(c, out var valid, codeExceptions))
        {
            code = valid;
        }

        if (parsed is null || (parsed.Code is not null && code is null))
        {
            logger.LogError("A malformed message on {Queue}: {Message}", StorageNames.KeyReissueQueue, message.Length > 200 ? message[..200] : message);
            throw new FormatException($"The {StorageNames.KeyReissueQueue} message is not valid.");
        }

        return administration.HandleAsync(parsed, code, cancellationToken);
    }
}

/// <summary>The ring's keys with the rotation settings that govern them.</summary>
public sealed record SigningKeyList(IReadOnlyList<KeyView> Keys, TimeSpan RotateEvery, TimeSpan AnnounceFor);
