using ELicence.Core.Applications;

namespace ELicence.Functions.Applications;

/// <summary>Registration applications: submitted by the registrar, issued from the queue.</summary>
public sealed class ApplicationFunctions(HttpApi<ApplicationFunctions> api, ApplicationService applications)
{
    [Function("SubmitApplication")]
    [Endpoint(Access.Registrar)]
    public Task<IActionResult> Submit([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/applications")] HttpRequest req) =>
        api.RunAsync(req, async call =>
        {
            var body = await call.ReadJsonAsync<LicenceApplicationRequest>();
            var key = req.Headers.TryGetValue("Idempotency-Key", out var k)
                ? k.Count == 1 ? k[0] : throw ProblemException.Invalid("Idempotency-Key", "Send the header once, with one key.")
                : null;
            var application = await applications.SubmitAsync(call.Caller, body, key, call.Cancellation);
            var url = $"/api/v1/applications/{application.Id}";
            return ApiResults.Json(ApplicationView.From(application), StatusCodes.Status202Accepted, new Dictionary<string, string> { ["Location"] = url });
        });

    [Function("GetApplication")]
    [Endpoint(Access.Registrar)]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/applications/{id}")] HttpRequest req, string id) =>
        api.RunAsync(req, async call =>
            ApiResults.Json(ApplicationView.From(await applications.GetAsync(id, call.Cancellation))));
}

/// <summary>An application as the API shows it.</summary>
public sealed record ApplicationView(string Id, ApplicationStatus Status, DateTimeOffset SubmittedAt, string StatusUrl, string? CreditCode, string? LicenceUrl, DateTimeOffset? IssuedAt, string? FailureReason)
{
    public static ApplicationView From(LicenceApplication a) => new(
        a.Id,
        a.Status,
        a.SubmittedAt,
        $"/api/v1/applications/{a.Id}",
        a.CreditCode,
        a.CreditCode is null ? null : $"/api/v1/licences/{a.CreditCode}",
        a.IssuedAt,
        a.FailureReason);
}
