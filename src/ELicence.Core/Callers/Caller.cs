using ELicence.Core.CreditCodes;

namespace ELicence.Core.Callers;

public enum Role
{
    Registrar,
    Holder,
    Verifier,
}

/// <summary>
/// What a registrar caller (bureau staff) may decide. Every registrar is a clerk; a supervisor may also approve or reject
/// what another person proposed (four-eyes: revocation, key compromise).
/// </summary>
public enum RegistrarRole
{
    Clerk,
    Supervisor,
}

/// <summary>An authenticated caller. A holder is bound to exactly one credit code; a verifier is an organisation of a kind.</summary>
/// <remarks>For a holder, <see cref="Id"/> is the licence's principal (rate limits, idempotency) and <see cref="Name"/> the acting person; <see cref="Grant"/> says what its key may do.</remarks>
/// <remarks>
/// <see cref="Id"/> is the principal (the bureau, the organisation, the licence) that rate limits and idempotency keys follow;
/// <see cref="Actor"/> is who acts within it (the key, or the signed-in person), as the history names them.
/// </remarks>
public sealed record Caller(string Id, Role Role, string Name, CreditCode? HolderOf, VerifierKind? VerifierKind = null, HolderGrant? Grant = null)
{
    /// <summary>Who acts; unset, the principal itself (callers built without a key or token, as in unit tests).</summary>
    public Actor? Acting { get; init; }

    /// <summary>A registrar's role; null for holders and verifiers.</summary>
    public RegistrarRole? RegistrarRole { get; init; }

    public Actor Actor => Acting ?? new Actor(Id, Name, ActorKind.ApiKey);

    public bool IsSupervisor => Role == Role.Registrar && RegistrarRole == Callers.RegistrarRole.Supervisor;

    public static Caller Registrar(string id, string name, RegistrarRole role = Callers.RegistrarRole.Clerk, Actor? actor = null) =>
        new(id, Role.Registrar, name, null) { RegistrarRole = role, Acting = actor };

    /// <summary>Refuses (403) anyone but a registrar supervisor.</summary>
    public void EnsureSupervisor(string what)
    {
        if (!IsSupervisor)
        {
            throw ProblemException.Forbidden(Role == Role.Registrar
                ? $"Only a registrar with the supervisor role may {what}; this caller is a clerk."
                : $"Only a registrar with the supervisor role may {what}.");
        }
    }

    public static Caller Verifier(string id, string name, VerifierKind kind) => new(id, Role.Verifier, name, null, kind);

    public static Caller Holder(string id, string name, CreditCode code, HolderGrant? grant = null) => new(id, Role.Holder, name, code, null, grant);

    /// <summary>The holder key's kind; a holder key without a grant (made before delegation) is its licence's owner.</summary>
    public HolderKind? HolderKind => Role == Role.Holder ? Grant?.Kind ?? Callers.HolderKind.Owner : null;

    public bool IsHolderOf(CreditCode code) => Role == Role.Holder && HolderOf == code;

    /// <summary>A holder key of this licence whose grant includes <paramref name="scope"/>; anyone else is refused with 403.</summary>
    public void EnsureHolderMay(CreditCode code, HolderScope scope)
    {
        if (!IsHolderOf(code))
        {
            throw ProblemException.Forbidden(Role == Role.Holder
                ? "A holder may only act for its own licence."
                : $"Only a holder key of licence {code.Value} may do this.");
        }

        if (Grant is { } grant && !grant.Allows(scope))
        {
            var name = HolderGrant.Name(scope);
            throw new ProblemException(
                ProblemType.Forbidden,
                $"This agent key is not granted the '{name}' scope; its scopes are: {string.Join(", ", grant.Scopes.Select(HolderGrant.Name))}.",
                extensions: new Dictionary<string, object?> { ["missingScope"] = name });
        }
    }

    /// <summary>
    /// Whether the caller, once it may read a licence, also sees how the licence was used (who verified, downloaded or
    /// signed with it): the registrar, the owner, administrators, and agents granted <see cref="HolderScope.ViewUsage"/>.
    /// </summary>
    public bool MayViewUsage => Role == Role.Registrar || (Role == Role.Holder && (Grant?.Allows(HolderScope.ViewUsage) ?? true));

    /// <summary>The licence's usage: the registrar, or a holder key of this licence with <see cref="HolderScope.ViewUsage"/>; anyone else 403.</summary>
    public void EnsureMayViewUsage(CreditCode code)
    {
        if (Role != Role.Registrar)
        {
            EnsureHolderMay(code, HolderScope.ViewUsage);
        }
    }

    /// <summary>The registrar sees every licence; a holder key only its own, and an agent only if it is granted some scope; nobody else any.</summary>
    public void EnsureMayReadLicence(CreditCode code)
    {
        var allowed = Role switch
        {
            Role.Registrar => true,
            Role.Holder => HolderOf == code,
            Role.Verifier => false,
            _ => throw new ArgumentOutOfRangeException(nameof(code)),
        };
        if (!allowed)
        {
            throw ProblemException.Forbidden(Role == Role.Holder
                ? "A holder may only read its own licence."
                : "Only the registrar and the licence's holder may read a licence; verifiers use /api/v1/verifications.");
        }

        // An agent acts for the licence within its scopes; a key granted none may do nothing with it, reading included.
        if (Grant is { Kind: Callers.HolderKind.Agent, Scopes.Count: 0 })
        {
            throw ProblemException.Forbidden("This agent key is granted no scope, so it may not read the licence.");
        }
    }
}
