using ELicence.Core.Wallets;

namespace ELicence.Storage.Wallets;

/// <summary>
/// OpenID4VCI state in one table, a partition per row: offers ("vco_…"), access tokens ("t_" + SHA-256 of the token) and nonces
/// ("n_" + the nonce). Offers and tokens change only with If-Match on their ETag and nonces are consumed by a delete, so of two
/// concurrent redemptions of one code, uses of one token or uses of one nonce exactly one wins.
/// </summary>
public sealed class WalletIssuanceStore(StorageClients storage) : IWalletIssuanceStore
{
    private const string Row = "state";
    private readonly TableClient _table = storage.Table(StorageNames.WalletIssuanceTable);

    public Task AddOfferAsync(WalletOffer offer, CancellationToken cancellationToken) =>
        _table.AddEntityAsync(ToEntity(offer), cancellationToken);

    public async Task<Versioned<WalletOffer>?> FindOfferAsync(string id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken) is { } e
            ? new Versioned<WalletOffer>(
                new WalletOffer(id, CreditCode.FromStored(e.GetString("Code")), Person(e), e.GetString("CodeSecret"), e.GetString("TxCodeHash"), e.GetInt32("WrongTxCodes") ?? 0, e.GetDateTimeOffset("ExpiresAt")!.Value, e.GetBoolean("Redeemed") ?? false),
                e.ETag.ToString())
            : null;

    public Task<bool> TryReplaceOfferAsync(WalletOffer offer, string etag, CancellationToken cancellationToken) =>
        TryReplaceAsync(ToEntity(offer), etag, cancellationToken);

    public Task AddTokenAsync(WalletAccessToken token, CancellationToken cancellationToken) =>
        _table.AddEntityAsync(ToEntity(token), cancellationToken);

    public async Task<Versioned<WalletAccessToken>?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken) =>
        await FindAsync("t_" + tokenHash, cancellationToken) is { } e
            ? new Versioned<WalletAccessToken>(
                new WalletAccessToken(tokenHash, e.GetString("OfferId"), CreditCode.FromStored(e.GetString("Code")), Person(e), e.GetDateTimeOffset("ExpiresAt")!.Value, e.GetString("NotificationId")),
                e.ETag.ToString())
            : null;

    public Task<bool> TryReplaceTokenAsync(WalletAccessToken token, string etag, CancellationToken cancellationToken) =>
        TryReplaceAsync(ToEntity(token), etag, cancellationToken);

    public Task AddNonceAsync(string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        _table.AddEntityAsync(new TableEntity("n_" + nonce, Row) { ["ExpiresAt"] = expiresAt }, cancellationToken);

    public async Task<bool> TryConsumeNonceAsync(string nonce, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (nonce.Length > 100 || nonce.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) || await FindAsync("n_" + nonce, cancellationToken) is not { } e)
        {
            return false;
        }

        try
        {
            await _table.DeleteEntityAsync(e.PartitionKey, Row, e.ETag, cancellationToken);
            return e.GetDateTimeOffset("ExpiresAt") > now;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }

    private static WalletPerson Person(TableEntity e) => new(e.GetString("PersonKeyId"), e.GetString("PersonName"));

    private static TableEntity ToEntity(WalletOffer o) => new(o.Id, Row)
    {
        ["Code"] = o.Code.Value,
        ["PersonKeyId"] = o.Person.KeyId,
        ["PersonName"] = o.Person.Name,
        ["CodeSecret"] = o.CodeSecret,
        ["TxCodeHash"] = o.TxCodeHash,
        ["WrongTxCodes"] = o.WrongTxCodes,
        ["ExpiresAt"] = o.ExpiresAt,
        ["Redeemed"] = o.Redeemed,
    };

    private static TableEntity ToEntity(WalletAccessToken t) => new("t_" + t.TokenHash, Row)
    {
        ["OfferId"] = t.OfferId,
        ["Code"] = t.Code.Value,
        ["PersonKeyId"] = t.Person.KeyId,
        ["PersonName"] = t.Person.Name,
        ["ExpiresAt"] = t.ExpiresAt,
        ["NotificationId"] = t.NotificationId,
    };

    private async Task<TableEntity?> FindAsync(string partition, CancellationToken cancellationToken)
    {
        var found = await _table.GetEntityIfExistsAsync<TableEntity>(partition, Row, cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    private async Task<bool> TryReplaceAsync(TableEntity entity, string etag, CancellationToken cancellationToken)
    {
        try
        {
            await _table.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }
}
