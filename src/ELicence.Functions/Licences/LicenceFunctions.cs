using System.Text.Json;
using System.Text.Json.Nodes;
using ELicence.Core.Credentials;
using ELicence.Documents;
using ELicence.Core.Keys;
using ELicence.Jose;

namespace ELicence.Functions.Licences;

/// <summary>A licence and its credential, for the registrar and the licence's holder (the credential for holder keys with the download scope).</summary>
public sealed class LicenceFunctions(HttpApi<LicenceFunctions> api, LicenceQueries queries, LicenceDocuments documents)
{
    [Function("GetLicence")]
    [Endpoint(Access.RegistrarOrHolder)]
    public Task<IActionResult> GetLicence([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/licences/{code}")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
            LicenceView.Result(await queries.GetLicenceAsync(call.Caller, code, call.Cancellation)));

    [Function("GetPermits")]
    [Endpoint(Access.RegistrarOrHolder)]
    public Task<IActionResult> GetPermits([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/licences/{code}/permits")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(new PermitList(await queries.GetPermitsAsync(call.Caller, code, call.Cancellation))));

    /// <summary>
    /// The signed credential: application/vc+jwt (compact EdDSA) by default, application/jose when the client asks for that,
    /// and with <c>Accept: application/jose+json</c> the JWS JSON serialization carrying the SM2 signature as well.
    /// </summary>
    [Function("GetCredential")]
    [Endpoint(Access.RegistrarOrHolder, Cache = CachePolicy.PrivateNoStore)]
    public Task<IActionResult> GetCredential([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/licences/{code}/credential")] HttpRequest req, string code) =>
        api.RunAsync(req, async call =>
        {
            var headers = new Dictionary<string, string> { ["Vary"] = "Accept" };
            var accepted = req.GetTypedHeaders().Accept.Select(a => a.MediaType.Value).ToList();
            if (accepted.Contains(JsonJws.MediaType, StringComparer.OrdinalIgnoreCase))
            {
                return ApiResults.Text(await documents.GetCredentialJsonAsync(call.Caller, code, call.Cancellation), JsonJws.MediaType, headers);
            }

            var jws = await documents.GetCredentialAsync(call.Caller, code, call.Cancellation);
            var wantsJose = accepted.Contains("application/jose", StringComparer.OrdinalIgnoreCase);
            return ApiResults.Text(jws, wantsJose ? "application/jose" : LicenceCredential.MediaType, headers);
        });
}

public sealed record PermitList(IReadOnlyList<OperatingPermit> Permits);

/// <summary>
/// A licence as the API shows it: its state, then every registered field exactly as <see cref="LicenceDetails"/> serialises
/// it (with the English rendering where there is one), so a new field appears here without code.
/// </summary>
public static class LicenceView
{
    /// <summary>The licence with its ETag, for a later If-Match.</summary>
    public static BodyResult Result(Licence licence, int status = StatusCodes.Status200OK) =>
        ApiResults.Json(From(licence), status, licence.ETag is null ? null : new Dictionary<string, string> { ["ETag"] = Quoted(licence.ETag) });

    public static JsonObject From(Licence l)
    {
        ArgumentNullException.ThrowIfNull(l);
        var view = new JsonObject
        {
            ["creditCode"] = l.Code.Value,
            ["version"] = l.Version,
            ["status"] = Node(l.Status),
            ["statusDetail"] = Node(l.StatusDetail),
            ["allowedActions"] = Node(LicenceLifecycle.AllowedActions(l.Status)),
        };
        foreach (var (field, value) in Node(l.Details)!.AsObject())
        {
            view[field] = value?.DeepClone();
        }

        view["entityTypeName"] = l.Details.EntityType.ChineseName();
        view["issuedOn"] = Node(l.IssuedOn);
        view["credentialId"] = l.CredentialId;
        view["credentialUrl"] = $"/api/v1/licences/{l.Code.Value}/credential";
        return view;
    }

    private static JsonNode? Node<T>(T value) => JsonSerializer.SerializeToNode(value, ElicenceJson.Options);

    private static string Quoted(string etag) => etag.StartsWith('"') || etag.StartsWith("W/", StringComparison.Ordinal) ? etag : $"\"{etag}\"";
}
