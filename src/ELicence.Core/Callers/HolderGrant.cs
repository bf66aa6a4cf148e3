namespace ELicence.Core.Callers;

/// <summary>Who a holder key belongs to: the legal representative (owner), one of up to five administrators, or an agent.</summary>
public enum HolderKind
{
    Owner,
    Administrator,
    Agent,
}

/// <summary>What one holder key may do: the owner and administrators everything, an agent its <see cref="Scopes"/> until <see cref="ExpiresAt"/>.</summary>
public sealed record HolderGrant(string KeyId, HolderKind Kind, IReadOnlyList<HolderScope> Scopes, DateTimeOffset? ExpiresAt)
{
    /// <summary>A holder key from before delegation: its licence's owner.</summary>
    public static HolderGrant Owner(string keyId) => new(keyId, HolderKind.Owner, [], null);

    public bool Allows(HolderScope scope) => Kind != HolderKind.Agent || Scopes.Contains(scope);

    /// <summary>The scope as the API spells it (<c>view-usage</c>).</summary>
    public static string Name(HolderScope scope) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(scope.ToString());
}
