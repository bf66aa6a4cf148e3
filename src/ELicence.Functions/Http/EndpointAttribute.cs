namespace ELicence.Functions.Http;

/// <summary>
/// What the guard does around an HTTP function, declared on its method beside <c>[Function]</c>: who may call it, which
/// rate-limit policy a request counts against, the <c>Cache-Control</c> and CORS header of its answers, and its body limit.
/// <see cref="HttpApi{TFunctions}"/> reads it once per class; a function body is then only its call.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class EndpointAttribute(Access access) : Attribute
{
    private RatePolicy? _rate;

    public Access Access { get; } = access;

    /// <summary>The policy each request counts against; unset, the caller's role policy, or <see cref="RatePolicy.Anonymous"/> for <see cref="Access.Anyone"/>.</summary>
    public RatePolicy Rate
    {
        get => _rate ?? RatePolicy.Anonymous;
        set => _rate = value;
    }

    /// <summary>The <c>Cache-Control</c> of the function's successful answers (an answer may still set its own).</summary>
    public CachePolicy Cache { get; set; }

    /// <summary>Successful answers may be read by any web origin (<c>Access-Control-Allow-Origin: *</c>): public, credential-free data.</summary>
    public bool Cors { get; set; }

    /// <summary>The largest body <see cref="HttpCall.ReadJsonAsync{T}"/> reads; more is 413.</summary>
    public int MaxBody { get; set; } = HttpApi.MaxBodyBytes;

    /// <summary>The declared policy, or null for the default.</summary>
    public RatePolicy? DeclaredRate => _rate;
}
