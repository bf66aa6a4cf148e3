using ELicence.Core.CreditCodes;

namespace ELicence.Core.Wallets;

/// <summary>A credential offer: for whom, the secret of its pre-authorised code, the hash of its transaction code, its tries.</summary>
public sealed record WalletOffer(string Id, CreditCode Code, WalletPerson Person, string CodeSecret, string TxCodeHash, int WrongTxCodes, DateTimeOffset ExpiresAt, bool Redeemed);

/// <summary>An access token (kept by its hash) good for one credential request for the offer's licence and person.</summary>
public sealed record WalletAccessToken(string TokenHash, string OfferId, CreditCode Code, WalletPerson Person, DateTimeOffset ExpiresAt, string? NotificationId);

/// <summary>A stored row and the ETag its next change must name.</summary>
public sealed record Versioned<T>(T Value, string ETag);

/// <summary>The state of OpenID4VCI issuance: offers, access tokens and nonces, each changed only under its ETag.</summary>
public interface IWalletIssuanceStore
{
    Task AddOfferAsync(WalletOffer offer, CancellationToken cancellationToken);

    Task<Versioned<WalletOffer>?> FindOfferAsync(string id, CancellationToken cancellationToken);

    /// <summary>Replaces the offer if it is still at <paramref name="etag"/>; false when someone changed it first.</summary>
    Task<bool> TryReplaceOfferAsync(WalletOffer offer, string etag, CancellationToken cancellationToken);

    Task AddTokenAsync(WalletAccessToken token, CancellationToken cancellationToken);

    Task<Versioned<WalletAccessToken>?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>Replaces the token if it is still at <paramref name="etag"/>; false when someone changed it first.</summary>
    Task<bool> TryReplaceTokenAsync(WalletAccessToken token, string etag, CancellationToken cancellationToken);

    Task AddNonceAsync(string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Removes the nonce; true only for the one caller that removed an unexpired nonce.</summary>
    Task<bool> TryConsumeNonceAsync(string nonce, DateTimeOffset now, CancellationToken cancellationToken);
}
