namespace ELicence.Core.Callers;

/// <summary>How an actor proved who it is.</summary>
public enum ActorKind
{
    /// <summary>An API key: the id is <c>key:{keyId}</c>, the name the one the key was made for.</summary>
    ApiKey,

    /// <summary>A person signed in through OpenID Connect (Entra ID): the id is <c>oidc:{sub}</c>, the name the token's <c>name</c>.</summary>
    Person,

    /// <summary>An application acting on its own (an Entra ID client-credentials token): the id is <c>app:{client id}</c>.</summary>
    Application,

    /// <summary>The service itself (a timer): the id is <c>system:…</c>.</summary>
    System,

    /// <summary>A member of the public (an objection): never named.</summary>
    Public,
}

/// <summary>
/// Who acted, as the history and the transparency log name them. One shape for every way of proving identity, so a person
/// signed in through OpenID Connect and an API key fill the same field; <see cref="Id"/> is stable and never a secret.
/// </summary>
public sealed record Actor(string Id, string Name, ActorKind Kind)
{
    public static Actor Key(string keyId, string name) => new("key:" + keyId, name, ActorKind.ApiKey);

    /// <summary>A person by the subject (<c>sub</c>) of their OpenID Connect token and their display name.</summary>
    public static Actor Person(string subject, string name) => new("oidc:" + subject, name, ActorKind.Person);

    public static Actor Application(string clientId, string name) => new("app:" + clientId, name, ActorKind.Application);

    public static Actor Of(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.Actor;
    }

    /// <summary>A member of the public objecting to a notice: their name is for the registrar only, never in the history.</summary>
    public static Actor PublicObjector { get; } = new("public", "public objector", ActorKind.Public);

    public static Actor DeregistrationTimer { get; } = new("system:deregistration-timer", "ELicence deregistration timer", ActorKind.System);

    public static Actor ExpiryTimer { get; } = new("system:expiry-timer", "ELicence operating-term timer", ActorKind.System);

    public static Actor AnnualReportTimer { get; } = new("system:annual-report-timer", "ELicence annual-report timer", ActorKind.System);

    /// <summary>The kind an actor id names by its prefix; ids from before actors had kinds (a key's principal) are API keys.</summary>
    public static ActorKind KindOfId(string id) => id switch
    {
        _ when id.StartsWith("oidc:", StringComparison.Ordinal) => ActorKind.Person,
        _ when id.StartsWith("app:", StringComparison.Ordinal) => ActorKind.Application,
        _ when id.StartsWith("system:", StringComparison.Ordinal) => ActorKind.System,
        "public" => ActorKind.Public,
        _ => ActorKind.ApiKey,
    };

    /// <summary>Whether two actors are the same person (or key): the four-eyes rule compares these.</summary>
    public bool IsSameAs(Actor other) => other is not null && other.Kind == Kind && string.Equals(other.Id, Id, StringComparison.Ordinal);
}
