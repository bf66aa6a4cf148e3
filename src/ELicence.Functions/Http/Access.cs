namespace ELicence.Functions.Http;

/// <summary>Who an endpoint is for, named by purpose where the purpose may one day get its own role.</summary>
public enum Access
{
    /// <summary>Anyone, without credentials, under a per-client-address rate limit.</summary>
    Anyone,
    Registrar,
    Verifier,
    Holder,
    RegistrarOrHolder,
    RegistrarOrVerifier,

    /// <summary>
    /// Onboarding verifier organisations and managing their keys. The registrar (the market regulation bureau) decides who
    /// relies on its register; an administrator role, if one is ever needed, is added here and nowhere else.
    /// </summary>
    VerifierAdministration,

    /// <summary>
    /// The detailed health: which dependency is failing is useful to whoever runs the register (the registrar's operators) and
    /// to nobody else; holders and verifiers see the anonymous up/degraded.
    /// </summary>
    Operations,

    /// <summary>Rotating the service's signing keys and withdrawing a compromised one: the registrar's, like verifier onboarding.</summary>
    KeyAdministration,
}

/// <summary>The roles each <see cref="Access"/> admits: the one place that says so.</summary>
public static class AccessRoles
{
    private static readonly Role[] None = [];
    private static readonly Role[] Registrar = [Role.Registrar];
    private static readonly Role[] Verifier = [Role.Verifier];
    private static readonly Role[] Holder = [Role.Holder];
    private static readonly Role[] RegistrarOrHolder = [Role.Registrar, Role.Holder];
    private static readonly Role[] RegistrarOrVerifier = [Role.Registrar, Role.Verifier];

    public static IReadOnlyList<Role> Roles(this Access access) => access switch
    {
        Access.Anyone => None,
        Access.Registrar or Access.VerifierAdministration or Access.Operations or Access.KeyAdministration => Registrar,
        Access.Verifier => Verifier,
        Access.Holder => Holder,
        Access.RegistrarOrHolder => RegistrarOrHolder,
        Access.RegistrarOrVerifier => RegistrarOrVerifier,
        _ => throw new ArgumentOutOfRangeException(nameof(access)),
    };
}
