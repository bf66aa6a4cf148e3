namespace ELicence.Core.Problems;

/// <summary>
/// A kind of failure with a stable RFC 9457 type URI and title. Which HTTP status it answers with is the HTTP layer's
/// business (<c>ProblemStatus</c> in the function app), so the core stays free of transport details.
/// </summary>
public sealed record ProblemType(string Slug, string Title)
{
    public const string UriPrefix = "urn:elicence:problem:";

    public string Uri => UriPrefix + Slug;

    public static readonly ProblemType Validation = new("validation", "The request is not valid.");
    public static readonly ProblemType MalformedJson = new("malformed-json", "The request body is not valid JSON.");
    public static readonly ProblemType BadRequest = new("bad-request", "The HTTP request is malformed.");
    public static readonly ProblemType Unauthenticated = new("unauthenticated", "Credentials are missing or not valid.");
    public static readonly ProblemType Forbidden = new("forbidden", "The caller may not do this.");
    public static readonly ProblemType NotFound = new("not-found", "The resource does not exist.");

    /// <summary>The register holds no licence under a well-formed code: its own type, so a client tells it from a mistyped route.</summary>
    public static readonly ProblemType LicenceNotFound = new("licence-not-found", "The register has no licence with this unified social credit code.");
    public static readonly ProblemType MethodNotAllowed = new("method-not-allowed", "The resource does not support this method.");
    public static readonly ProblemType NotAcceptable = new("not-acceptable", "The resource is not available in the form the Accept header asks for.");
    public static readonly ProblemType Conflict = new("conflict", "The resource was changed by someone else at the same time.");
    public static readonly ProblemType InvalidTransition = new("invalid-transition", "The licence's status does not allow this action.");
    public static readonly ProblemType PreconditionFailed = new("precondition-failed", "The resource has changed since the version named in If-Match.");
    public static readonly ProblemType RequestTimeout = new("request-timeout", "The request did not arrive in time.");
    public static readonly ProblemType PayloadTooLarge = new("payload-too-large", "The request body is too large.");
    public static readonly ProblemType UnsupportedMediaType = new("unsupported-media-type", "The request body has an unsupported content type.");
    public static readonly ProblemType LimitReached = new("limit-reached", "A limit on this resource has been reached.");
    public static readonly ProblemType IdempotencyKeyReused = new("idempotency-key-reused", "The Idempotency-Key was already used with a different request.");
    public static readonly ProblemType RateLimited = new("rate-limited", "Too many requests from this client; retry later.");
    public static readonly ProblemType Gone = new("gone", "What the request asks for is no longer kept.");
    public static readonly ProblemType HeadersTooLarge = new("headers-too-large", "The request headers are too large.");
    public static readonly ProblemType FourEyesRequired = new("four-eyes-required", "This action takes effect only when a second person, a supervisor, approves it.");
    public static readonly ProblemType ProposalClosed = new("proposal-closed", "The proposal is no longer pending: it was decided or has expired.");
    public static readonly ProblemType Internal = new("internal", "An unexpected error occurred.");
    public static readonly ProblemType Unavailable = new("unavailable", "The service cannot reach its storage right now; nothing was changed unless the response says so. Retry later.");

    public static IReadOnlyList<ProblemType> All { get; } =
    [
        Validation, MalformedJson, BadRequest, Unauthenticated, Forbidden, NotFound, LicenceNotFound, MethodNotAllowed, NotAcceptable, Conflict, InvalidTransition,
        LimitReached, PreconditionFailed, RequestTimeout, PayloadTooLarge, UnsupportedMediaType, IdempotencyKeyReused, RateLimited, Gone, HeadersTooLarge,
        FourEyesRequired, ProposalClosed, Internal, Unavailable,
    ];
}

/// <summary>One invalid field: a JSON pointer-like path (e.g. <c>registeredCapital.currency</c>) and what is wrong with it.</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>A failure the caller can act on; mapped in one place to application/problem+json.</summary>
public sealed class ProblemException : Exception
{
    public ProblemException(ProblemType type, string detail, IReadOnlyList<FieldError>? errors = null, IReadOnlyDictionary<string, object?>? extensions = null)
        : base(detail)
    {
        Type = type;
        Errors = errors ?? [];
        Extensions = extensions ?? new Dictionary<string, object?>();
    }

    public ProblemException()
        : this(ProblemType.Internal, "An unexpected error occurred.")
    {
    }

    public ProblemException(string message)
        : this(ProblemType.Internal, message)
    {
    }

    public ProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        Type = ProblemType.Internal;
        Errors = [];
        Extensions = new Dictionary<string, object?>();
    }

    public ProblemType Type { get; }

    public IReadOnlyList<FieldError> Errors { get; }

    public IReadOnlyDictionary<string, object?> Extensions { get; }

    public static ProblemException Invalid(IReadOnlyList<FieldError> errors) =>
        new(ProblemType.Validation, errors.Count == 1 ? $"{errors[0].Field}: {errors[0].Message}" : $"{errors.Count} fields are not valid.", errors);

    public static ProblemException Invalid(string field, string message) => Invalid([new FieldError(field, message)]);

    public static ProblemException NotFound(string detail) => new(ProblemType.NotFound, detail);

    /// <summary>The register has no licence <paramref name="code"/> (a valid code).</summary>
    /// <summary>An unknown licence, by its (valid) code: a string, so that problems stay below every slice.</summary>
    public static ProblemException LicenceNotFound(string creditCode) =>
        new(ProblemType.LicenceNotFound, $"The register has no licence {creditCode}.", extensions: new Dictionary<string, object?> { ["creditCode"] = creditCode });

    public static ProblemException Forbidden(string detail) => new(ProblemType.Forbidden, detail);
}
