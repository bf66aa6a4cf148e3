namespace ELicence.IntegrationTests.Wallets;

/// <summary>
/// The service on a port chosen before it starts, with that address as its issuer identifier: a wallet resolves the
/// Credential Issuer's metadata at the identifier itself (OpenID4VCI 1.0 §12.2.2), so they must be the same URL.
/// </summary>
public sealed class WalletFixture : ServiceFixture
{
    private readonly string _address = $"http://127.0.0.1:{FreePorts(1)[0]}";

    public string Issuer => _address;

    protected override IEnumerable<string> Settings => [.. base.Settings, "--LocalHost:Urls=" + _address, "--Issuer:Id=" + _address];
}

[CollectionDefinition(Name)]
public sealed class WalletCollection : ICollectionFixture<WalletFixture>
{
    public const string Name = "wallet";
}
