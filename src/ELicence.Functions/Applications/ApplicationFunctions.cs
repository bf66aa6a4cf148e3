using ELicence.Core.Applications;

namespace ELicence.Functions.Applications;

/// <summary>Registration applications: submitted by the registrar, issued from the queue.</summary>
public sealed class ApplicationFunctions(HttpApi api, ApplicationService applications)
{
    [Function("SubmitApplication")]
    public Task<IActionResult> Submit([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/applications")] HttpRequest req) =>
        api.RunAsync(req, Access.Registrar, async caller =>
        {
            var body = await HttpApi.ReadJsonAsync<LicenceApplicationRequest>(req);
            var key = req.Headers.TryGetValue("Idempotency-Key", out var k)
                ? k.Count == 1 ? k[0] : throw ProblemException.Invalid("Idempotency-Key", "Send the header once, with one key.")
                : null;
            var application = await applications.SubmitAsync(caller, body, key, req.HttpContext.RequestAborted);
            var url = $"/api/v1/applications/{application.Id}";
            return ApiResults.Json(ApplicationView.From(application), StatusCodes.Status202Accepted, new Dictionary<string, string> { ["Location"] = url });
        });

    [Function("GetApplication")]
    public Task<IActionResult> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/v1/applications/{id}")] HttpRequest req, string id) =>
        api.RunAsync(req, Access.Registrar, async _ =>
            ApiResults.Json(ApplicationView.From(await applications.GetAsync(id, req.HttpContext.RequestAborted))));
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
