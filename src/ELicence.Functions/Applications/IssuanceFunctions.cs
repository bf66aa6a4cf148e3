using ELicence.Core.Applications;
using ELicence.Storage;
using ELicence.Storage.Applications;

namespace ELicence.Functions.Applications;

/// <summary>Issues licences from the queue. A message that fails five times lands in the poison queue and fails its application.</summary>
public sealed class IssuanceFunctions(IssuanceService issuance, ILogger<IssuanceFunctions> logger)
{
    [Function("IssueLicence")]
    public async Task Issue([QueueTrigger(StorageNames.IssuanceQueue)] string message, CancellationToken cancellationToken)
    {
        var applicationId = Parse(message);
        try
        {
            await issuance.IssueAsync(applicationId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Issuance of application {ApplicationId} failed; the queue will retry", applicationId);
            // The registrar reads this reason: a trace id to quote to operators, not the exception's own text.
            var trace = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? "none";
            await issuance.RecordFailedAttemptAsync(applicationId, $"an internal error ({e.GetType().Name}); operators find it in the logs by trace id {trace}", cancellationToken);
            throw;
        }
    }

    [Function("IssueLicencePoison")]
    public async Task Poison([QueueTrigger(StorageNames.IssuancePoisonQueue)] string message, CancellationToken cancellationToken)
    {
        if (TryParse(message) is not { } applicationId)
        {
            logger.LogError("A malformed issuance message reached the poison queue and was dropped: {Message}", message.Length > 200 ? message[..200] : message);
            return;
        }

        logger.LogError("Application {ApplicationId} reached the poison queue and is marked failed", applicationId);
        await issuance.MarkFailedAsync(applicationId, cancellationToken);
    }

    private static string Parse(string message) =>
        IssueLicenceMessage.TryParse(message) ?? throw new FormatException("The issuance message has no valid applicationId.");

    private static string? TryParse(string message) => IssueLicenceMessage.TryParse(message);
}
