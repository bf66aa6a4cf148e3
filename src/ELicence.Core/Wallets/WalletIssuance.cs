using System.Security.Cryptography;
using System.Text;
using ELicence.Core.Callers;
using ELicence.Core.Credentials;
using ELicence.Core.CreditCodes;
using ELicence.Core.Presentations;
using ELicence.OpenId4Vc;
using ELicence.OpenId4Vc.Issuance;

namespace ELicence.Core.Wallets;

/// <summary>What the person who made an offer gets: the offer link (also as a QR PNG), the transaction code (shown once), the expiry.</summary>
public sealed record CreatedCredentialOffer(string CredentialOffer, string TxCode, byte[] QrPng, DateTimeOffset ExpiresAt);

/// <summary>
/// The OpenID4VCI 1.0 issuer of the licence, pre-authorised code flow with a transaction code: the owner, an
/// administrator or an agent with <see cref="HolderScope.Download"/> makes a single-use offer good for
/// <see cref="OfferLifetime"/>; the wallet redeems it with the transaction code (at most <see cref="MaxWrongTxCodes"/>
/// wrong tries), gets a nonce, and asks once for up to <see cref="BatchSize"/> copies, each bound to a key it proves.
/// </summary>
public sealed class WalletIssuance(
    IWalletIssuanceStore store, WalletCopyIssuer copies, IssuerOptions issuer, ICreditCodeExceptions codeExceptions, ILinkQrCode qrCodes, TimeProvider time)
{
    public const string ConfigurationId = "business_licence_sd_jwt_vc";
    public static readonly TimeSpan OfferLifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan NonceLifetime = TimeSpan.FromMinutes(5);
    public const int MaxWrongTxCodes = 5;
    public const int BatchSize = 10;

    public async Task<CreatedCredentialOffer> CreateOfferAsync(Caller caller, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var creditCode = codeExceptions.ParseField(code, "code");
        caller.EnsureHolderMay(creditCode, HolderScope.Download);
        var person = new WalletPerson(caller.Grant?.KeyId ?? caller.Id, caller.Name, caller.Grant?.ExpiresAt);
        var id = "vco_" + Random(16);
        var txCode = TransactionCode.New();
        var expiresAt = time.GetUtcNow() + OfferLifetime;
        await store.AddOfferAsync(new WalletOffer(id, creditCode, person, Random(32), TransactionCode.Hash(id, txCode), 0, expiresAt, false), cancellationToken);
        var link = CredentialOffer.ByReference(Endpoint(WalletEndpoints.Offers) + "/" + id);
        return new CreatedCredentialOffer(link, txCode, qrCodes.Png(link), expiresAt);
    }

    /// <summary>The offer behind a <c>credential_offer_uri</c>, while it is unredeemed and unexpired.</summary>
    public async Task<CredentialOffer> ResolveOfferAsync(string id, CancellationToken cancellationToken)
    {
        var offer = await LiveOfferAsync(id, cancellationToken) ?? throw ProblemException.NotFound("No such credential offer, or it was used or has expired.");
        var grant = new PreAuthorizedCodeGrant(offer.Value.Id + "." + offer.Value.CodeSecret, TransactionCode.Description("The code shown when the offer was made."));
        return new CredentialOffer(issuer.Id, [ConfigurationId], new CredentialOfferGrants(grant));
    }

    /// <summary>The Token Endpoint (RFC 6749 §4.1.3 with OpenID4VCI 1.0 §6.1): the pre-authorised code and its transaction code.</summary>
    public async Task<TokenResponse> RedeemAsync(string? grantType, string? preAuthorizedCode, string? txCode, CancellationToken cancellationToken)
    {
        if (grantType != CredentialOffer.PreAuthorizedCodeGrant)
        {
            throw new OAuthException(OAuthErrors.UnsupportedGrantType, $"Only the grant type {CredentialOffer.PreAuthorizedCodeGrant} is supported.");
        }

        if (string.IsNullOrEmpty(preAuthorizedCode) || txCode is null)
        {
            throw OAuthException.InvalidRequest("Send pre-authorized_code and tx_code.");
        }

        var dot = preAuthorizedCode.IndexOf('.', StringComparison.Ordinal);
        var found = dot > 0 ? await LiveOfferAsync(preAuthorizedCode[..dot], cancellationToken) : null;
        if (found is not { Value: var offer } || !Same(offer.CodeSecret, preAuthorizedCode[(dot + 1)..]))
        {
            throw OAuthException.InvalidGrant("The pre-authorized code is unknown, used or expired.");
        }

        if (offer.WrongTxCodes >= MaxWrongTxCodes)
        {
            throw OAuthException.InvalidGrant("Too many wrong transaction codes: the offer is closed. Make a new one.");
        }

        if (!TransactionCode.Matches(offer.Id, txCode, offer.TxCodeHash))
        {
            await store.TryReplaceOfferAsync(offer with { WrongTxCodes = offer.WrongTxCodes + 1 }, found.ETag, cancellationToken);
            throw OAuthException.InvalidGrant("The transaction code is wrong.");
        }

        if (!await store.TryReplaceOfferAsync(offer with { Redeemed = true }, found.ETag, cancellationToken))
        {
            throw OAuthException.InvalidGrant("The pre-authorized code was used at the same time by another request.");
        }

        var token = Random(32);
        await store.AddTokenAsync(new WalletAccessToken(Hash(token), offer.Id, offer.Code, offer.Person, time.GetUtcNow() + TokenLifetime, null), cancellationToken);
        return new TokenResponse(token, "Bearer", (int)TokenLifetime.TotalSeconds);
    }

    /// <summary>The Nonce Endpoint (OpenID4VCI 1.0 §7): a fresh <c>c_nonce</c>, good for one credential request.</summary>
    public async Task<NonceResponse> NonceAsync(CancellationToken cancellationToken)
    {
        var nonce = Random(24);
        await store.AddNonceAsync(nonce, time.GetUtcNow() + NonceLifetime, cancellationToken);
        return new NonceResponse(nonce);
    }

    /// <summary>
    /// The Credential Endpoint (OpenID4VCI 1.0 §8): every proof is checked and the nonce consumed before the token is spent and
    /// anything issued, so a refused request issues and records nothing.
    /// </summary>
    public async Task<CredentialResponse> IssueAsync(string? accessToken, CredentialRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = await LiveTokenAsync(accessToken, cancellationToken);
        if (token.Value.NotificationId is not null)
        {
            throw OAuthException.InvalidToken("This access token was used for a credential request already.");
        }

        if (request.CredentialIdentifier is not null || request.CredentialConfigurationId != ConfigurationId)
        {
            throw new OAuthException(OAuthErrors.UnknownCredentialConfiguration, $"Ask for credential_configuration_id {ConfigurationId}.");
        }

        if (request.CredentialResponseEncryption is not null)
        {
            throw new OAuthException(OAuthErrors.InvalidCredentialRequest, "Credential response encryption is not supported.");
        }

        if (request.Proof is not null || request.Proofs?.Jwt is not { Count: > 0 } jwts)
        {
            throw OAuthException.InvalidProof("Send proofs.jwt: one key proof per copy (the single 'proof' member is not part of OpenID4VCI 1.0).");
        }

        if (jwts.Count > BatchSize)
        {
            throw new OAuthException(OAuthErrors.InvalidCredentialRequest, $"At most {BatchSize} copies (key proofs) per request.");
        }

        var now = time.GetUtcNow();
        var proofs = jwts.Select(jwt => KeyProof.Verify(jwt, issuer.Id, now)).ToList();
        if (proofs.Select(p => p.Nonce).Distinct(StringComparer.Ordinal).Count() != 1)
        {
            throw new OAuthException(OAuthErrors.InvalidNonce, "Every proof of one request carries the same c_nonce.");
        }

        if (proofs.Select(p => p.Key.Thumbprint).Distinct(StringComparer.Ordinal).Count() != proofs.Count)
        {
            throw OAuthException.InvalidProof("Each copy is bound to its own key: a key is proved at most once per request.");
        }

        var keys = proofs.Select(p => HolderJwk.TryRead(System.Text.Json.JsonSerializer.SerializeToElement(p.Key.ToJson()), "jwk", out var key, out _) ? key : throw OAuthException.InvalidProof("The proof's key is not accepted.")).ToList();
        if (!await store.TryConsumeNonceAsync(proofs[0].Nonce, now, cancellationToken))
        {
            throw new OAuthException(OAuthErrors.InvalidNonce, "The c_nonce is unknown, used or expired: get a new one from the Nonce Endpoint.");
        }

        var notificationId = "vcn_" + Random(16);
        if (!await store.TryReplaceTokenAsync(token.Value with { NotificationId = notificationId }, token.ETag, cancellationToken))
        {
            throw OAuthException.InvalidToken("This access token was used by another request at the same time.");
        }

        var issued = new List<IssuedCredential>();
        foreach (var key in keys)
        {
            issued.Add(new IssuedCredential((await copies.IssueCopyAsync(token.Value.Code, token.Value.Person, key, cancellationToken)).SdJwtVc));
        }

        return new CredentialResponse(issued, notificationId);
    }

    /// <summary>The Notification Endpoint (OpenID4VCI 1.0 §11): the wallet says it accepted, failed on or deleted the copies.</summary>
    public async Task NotifyAsync(string? accessToken, NotificationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = await LiveTokenAsync(accessToken, cancellationToken);
        if (request.Event is null || !NotificationRequest.Events.Contains(request.Event, StringComparer.Ordinal))
        {
            throw new OAuthException(OAuthErrors.InvalidNotificationRequest, $"event must be one of {string.Join(", ", NotificationRequest.Events)}.");
        }

        if (request.NotificationId is null || token.Value.NotificationId is not { } expected || !Same(expected, request.NotificationId))
        {
            throw new OAuthException(OAuthErrors.InvalidNotificationId, "The notification_id is not the one this access token's credential response gave.");
        }
    }

    public CredentialIssuerMetadata IssuerMetadata()
    {
        var display = new[] { new IssuerDisplay(issuer.Name, "zh-CN"), new IssuerDisplay(issuer.NameEn, "en") };
        var claims = new[] { ("name", "名称", "Name"), ("creditCode", "统一社会信用代码", "Unified social credit code"), ("entityType", "类型", "Entity type") }
            .Select(c => new ClaimDescription([c.Item1], [new IssuerDisplay(c.Item2, "zh-CN"), new IssuerDisplay(c.Item3, "en")]))
            .Concat(DisclosableFields.All.Select(f => new ClaimDescription([f], [])))
            .ToList();
        var configuration = new CredentialConfiguration(
            LicenceSdJwtVc.JwsType,
            LicenceSdJwtVc.Vct(issuer),
            "business_licence",
            ["jwk"],
            ["EdDSA"],
            new Dictionary<string, ProofTypeSupported> { ["jwt"] = new(KeyProof.Algorithms) },
            new CredentialMetadata([new IssuerDisplay("营业执照", "zh-CN"), new IssuerDisplay("Business licence", "en")], claims));
        return new CredentialIssuerMetadata(
            issuer.Id, [issuer.Id], Endpoint(WalletEndpoints.Credential), Endpoint(WalletEndpoints.Nonce), Endpoint(WalletEndpoints.Notification),
            new BatchCredentialIssuance(BatchSize), display, new Dictionary<string, CredentialConfiguration> { [ConfigurationId] = configuration });
    }

    public AuthorizationServerMetadata AuthorizationServerMetadata() =>
        new(issuer.Id, Endpoint(WalletEndpoints.Token), [CredentialOffer.PreAuthorizedCodeGrant], ["none"], true);

    private string Endpoint(string path) => issuer.Id.TrimEnd('/') + path;

    private async Task<Versioned<WalletOffer>?> LiveOfferAsync(string id, CancellationToken cancellationToken) =>
        IsOfferId(id) && await store.FindOfferAsync(id, cancellationToken) is { } found && !found.Value.Redeemed && found.Value.ExpiresAt > time.GetUtcNow()
            ? found
            : null;

    /// <summary>"vco_" and 22 base64url characters (16 random bytes): a shape that can name no other row.</summary>
    private static bool IsOfferId(string id) =>
        id.Length == 26 && id.StartsWith("vco_", StringComparison.Ordinal) && id.Skip(4).All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private async Task<Versioned<WalletAccessToken>> LiveTokenAsync(string? accessToken, CancellationToken cancellationToken) =>
        accessToken is { Length: > 0 and < 200 } && await store.FindTokenAsync(Hash(accessToken), cancellationToken) is { } found && found.Value.ExpiresAt > time.GetUtcNow()
            ? found
            : throw OAuthException.InvalidToken("The access token is missing, unknown or expired.");

    private static string Random(int bytes) => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static bool Same(string a, string b) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}

/// <summary>The paths of the issuer's protocol endpoints under its base URL.</summary>
public static class WalletEndpoints
{
    public const string Offers = "/openid4vci/offers";
    public const string Token = "/openid4vci/token";
    public const string Nonce = "/openid4vci/nonce";
    public const string Credential = "/openid4vci/credential";
    public const string Notification = "/openid4vci/notification";
}
