using ELicence.Core.CreditCodes;

namespace ELicence.Core.Callers;

public enum Role
{
    Registrar,
    Holder,
    Verifier,
}

/// <summary>An authenticated caller. A holder is bound to exactly one credit code; a verifier is an organisation of a kind.</summary>
/// <remarks>For a holder, <see cref="Id"/> is the licence's principal (rate limits, idempotency) and <see cref="Name"/> the acting person; <see cref="Grant"/> says what its key may do.</remarks>
public sealed record Caller(string Id, Role Role, string Name, CreditCode? HolderOf, VerifierKind? VerifierKind = null, HolderGrant? Grant = null)
{
    public static Caller Registrar(string id, string name) => new(id, Role.Registrar, name, null);

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

    /// <summary>The registrar sees every licence; a holder only its own; nobody else any.</summary>
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
    }
}
