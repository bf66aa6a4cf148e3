using ELicence.Core.Presentations;
using ELicence.Core.Usage;
using ELicence.Core.Wallets;
using ELicence.OpenId4Vc;

namespace ELicence.Core.UnitTests.Wallets;

/// <summary>The OpenID4VCI issuer's clock: an offer, an access token and a nonce each stop working when they expire.</summary>
public class WalletIssuanceTests
{
    private readonly FakeTimeProvider _clock = new(Builders.IssuedAt);
    private readonly InMemoryWalletIssuanceStore _store = new();
    private readonly WalletIssuance _issuance;

    public WalletIssuanceTests()
    {
        var harness = new VerificationHarness();
        var sdJwt = new SdJwtVcIssuer(
            harness.Licences, new FixedKeyRing(harness.Ring), harness.Issuer, CreditCodeExceptionList.None, _clock,
            new InMemorySequenceAllocator(), new InMemoryWalletCopyStore(), new RecordingStatusListQueue());
        _issuance = new WalletIssuance(_store, new WalletCopyIssuer(sdJwt, new NoUsage(), _clock), harness.Issuer, CreditCodeExceptionList.None, new NoQrCode(), _clock);
    }

    [Fact]
    public async Task An_offer_redeemed_after_ten_minutes_is_invalid_grant_and_the_link_no_longer_resolves()
    {
        var (offerId, preAuthorized, tx) = await OfferAsync();

        _clock.Advance(WalletIssuance.OfferLifetime);

        var refused = await Assert.ThrowsAsync<OAuthException>(() => _issuance.RedeemAsync(OpenId4Vc.Issuance.CredentialOffer.PreAuthorizedCodeGrant, preAuthorized, tx, default));
        Assert.Equal(OAuthErrors.InvalidGrant, refused.Error);
        await Assert.ThrowsAsync<ProblemException>(() => _issuance.ResolveOfferAsync(offerId, default));
    }

    [Fact]
    public async Task An_access_token_used_after_its_lifetime_is_invalid_token()
    {
        var (_, preAuthorized, tx) = await OfferAsync();
        var token = await _issuance.RedeemAsync(OpenId4Vc.Issuance.CredentialOffer.PreAuthorizedCodeGrant, preAuthorized, tx, default);

        _clock.Advance(WalletIssuance.TokenLifetime);

        var refused = await Assert.ThrowsAsync<OAuthException>(() => _issuance.IssueAsync(token.AccessToken, new(WalletIssuance.ConfigurationId, null, new(["x"]), null, null), default));
        Assert.Equal((OAuthErrors.InvalidToken, 401), (refused.Error, refused.Status));
    }

    [Fact]
    public async Task A_nonce_is_consumed_once_and_not_at_all_after_it_expires()
    {
        var first = (await _issuance.NonceAsync(default)).CNonce;
        var second = (await _issuance.NonceAsync(default)).CNonce;

        Assert.True(await _store.TryConsumeNonceAsync(first, _clock.GetUtcNow(), default));
        Assert.False(await _store.TryConsumeNonceAsync(first, _clock.GetUtcNow(), default));
        _clock.Advance(WalletIssuance.NonceLifetime);
        Assert.False(await _store.TryConsumeNonceAsync(second, _clock.GetUtcNow(), default));
    }

    private async Task<(string OfferId, string PreAuthorized, string Tx)> OfferAsync()
    {
        var caller = Caller.Holder("holder:" + Builders.Licence().Code.Value, "法定代表人", Builders.Licence().Code, HolderGrant.Owner("hk_1"));
        var created = await _issuance.CreateOfferAsync(caller, Builders.Licence().Code.Value, default);
        var offerId = Uri.UnescapeDataString(created.CredentialOffer).Split('/')[^1];
        var offer = await _issuance.ResolveOfferAsync(offerId, default);
        return (offerId, offer.Grants.PreAuthorizedCode.PreAuthorizedCode, created.TxCode);
    }

    private sealed class NoUsage : IUsageLog
    {
        public Task AppendAsync(CreditCode code, UsageRecord record, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<UsagePage> ReadAsync(CreditCode code, UsageQuery query, CancellationToken cancellationToken) => Task.FromResult(new UsagePage([], null));
    }

    /// <summary>The store's contract in memory: ETags as counters, nonces removed once.</summary>
    private sealed class InMemoryWalletIssuanceStore : IWalletIssuanceStore
    {
        private readonly Dictionary<string, (object Value, int Version)> _rows = [];
        private readonly Dictionary<string, DateTimeOffset> _nonces = [];

        public Task AddOfferAsync(WalletOffer offer, CancellationToken cancellationToken) => Add(offer.Id, offer);

        public Task<Versioned<WalletOffer>?> FindOfferAsync(string id, CancellationToken cancellationToken) => Find<WalletOffer>(id);

        public Task<bool> TryReplaceOfferAsync(WalletOffer offer, string etag, CancellationToken cancellationToken) => Replace(offer.Id, offer, etag);

        public Task AddTokenAsync(WalletAccessToken token, CancellationToken cancellationToken) => Add("t_" + token.TokenHash, token);

        public Task<Versioned<WalletAccessToken>?> FindTokenAsync(string tokenHash, CancellationToken cancellationToken) => Find<WalletAccessToken>("t_" + tokenHash);

        public Task<bool> TryReplaceTokenAsync(WalletAccessToken token, string etag, CancellationToken cancellationToken) => Replace("t_" + token.TokenHash, token, etag);

        public Task AddNonceAsync(string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken)
        {
            _nonces.Add(nonce, expiresAt);
            return Task.CompletedTask;
        }

        public Task<bool> TryConsumeNonceAsync(string nonce, DateTimeOffset now, CancellationToken cancellationToken) =>
            Task.FromResult(_nonces.Remove(nonce, out var expiresAt) && expiresAt > now);

        private Task Add(string key, object value)
        {
            _rows.Add(key, (value, 1));
            return Task.CompletedTask;
        }

        private Task<Versioned<T>?> Find<T>(string key) =>
            Task.FromResult(_rows.TryGetValue(key, out var row) ? new Versioned<T>((T)row.Value, row.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null);

        private Task<bool> Replace(string key, object value, string etag)
        {
            if (!_rows.TryGetValue(key, out var row) || row.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) != etag)
            {
                return Task.FromResult(false);
            }

            _rows[key] = (value, row.Version + 1);
            return Task.FromResult(true);
        }
    }
}

/// <summary>The offer's picture is the documents' business; these tests read the offer's clock only.</summary>
internal sealed class NoQrCode : ILinkQrCode
{
    public byte[] Png(string link) => [];
}
