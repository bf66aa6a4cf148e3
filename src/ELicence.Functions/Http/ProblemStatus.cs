using System.Collections.Frozen;

namespace ELicence.Functions.Http;

/// <summary>The HTTP status each problem type answers with: the one place where the core's failures meet HTTP.</summary>
public static class ProblemStatus
{
    private static readonly FrozenDictionary<ProblemType, int> Statuses = new Dictionary<ProblemType, int>
    {
        [ProblemType.Validation] = StatusCodes.Status400BadRequest,
        [ProblemType.MalformedJson] = StatusCodes.Status400BadRequest,
        [ProblemType.BadRequest] = StatusCodes.Status400BadRequest,
        [ProblemType.Unauthenticated] = StatusCodes.Status401Unauthorized,
        [ProblemType.Forbidden] = StatusCodes.Status403Forbidden,
        [ProblemType.NotFound] = StatusCodes.Status404NotFound,
        [ProblemType.LicenceNotFound] = StatusCodes.Status404NotFound,
        [ProblemType.MethodNotAllowed] = StatusCodes.Status405MethodNotAllowed,
        [ProblemType.NotAcceptable] = StatusCodes.Status406NotAcceptable,
        [ProblemType.Conflict] = StatusCodes.Status409Conflict,
        [ProblemType.InvalidTransition] = StatusCodes.Status409Conflict,
        [ProblemType.LimitReached] = StatusCodes.Status409Conflict,
        [ProblemType.PreconditionFailed] = StatusCodes.Status412PreconditionFailed,
        [ProblemType.RequestTimeout] = StatusCodes.Status408RequestTimeout,
        [ProblemType.PayloadTooLarge] = StatusCodes.Status413PayloadTooLarge,
        [ProblemType.UnsupportedMediaType] = StatusCodes.Status415UnsupportedMediaType,
        [ProblemType.IdempotencyKeyReused] = StatusCodes.Status422UnprocessableEntity,
        [ProblemType.RateLimited] = StatusCodes.Status429TooManyRequests,
        [ProblemType.Gone] = StatusCodes.Status410Gone,
        [ProblemType.HeadersTooLarge] = StatusCodes.Status431RequestHeaderFieldsTooLarge,
        [ProblemType.FourEyesRequired] = StatusCodes.Status409Conflict,
        [ProblemType.ProposalClosed] = StatusCodes.Status409Conflict,
        [ProblemType.Internal] = StatusCodes.Status500InternalServerError,
        [ProblemType.Unavailable] = StatusCodes.Status503ServiceUnavailable,
    }.ToFrozenDictionary();

    /// <summary>The status of <paramref name="type"/>; a type added to the core without a status here is a bug, caught by a test.</summary>
    public static int Of(ProblemType type) =>
        Statuses.TryGetValue(type, out var status) ? status : throw new InvalidOperationException($"Problem type '{type.Slug}' has no HTTP status; add it to {nameof(ProblemStatus)}.");

    /// <summary>The problem type that a bare status from the web server (no body of ours) stands for, if there is one.</summary>
    public static ProblemType? ForBareStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => ProblemType.BadRequest,
        StatusCodes.Status404NotFound => ProblemType.NotFound,
        StatusCodes.Status405MethodNotAllowed => ProblemType.MethodNotAllowed,
        StatusCodes.Status408RequestTimeout => ProblemType.RequestTimeout,
        StatusCodes.Status413PayloadTooLarge => ProblemType.PayloadTooLarge,
        StatusCodes.Status415UnsupportedMediaType => ProblemType.UnsupportedMediaType,
        StatusCodes.Status429TooManyRequests => ProblemType.RateLimited,
        StatusCodes.Status431RequestHeaderFieldsTooLarge => ProblemType.HeadersTooLarge,
        StatusCodes.Status500InternalServerError => ProblemType.Internal,
        StatusCodes.Status503ServiceUnavailable => ProblemType.Unavailable,
        _ => null,
    };
}
