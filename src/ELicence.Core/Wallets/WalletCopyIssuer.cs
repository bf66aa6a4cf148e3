using ELicence.Core.CreditCodes;
using ELicence.Core.Presentations;
using ELicence.Core.Usage;

namespace ELicence.Core.Wallets;

/// <summary>The person a wallet copy was issued for: the holder key that made the offer, and its person's name.</summary>
public sealed record WalletPerson(string KeyId, string Name);

/// <summary>One SD-JWT VC copy issued to a wallet: the combined form (no key binding) and the usage record's id.</summary>
public sealed record WalletCopy(string SdJwtVc, string UsageId, int LicenceVersion);

/// <summary>
/// The one Core call the wallet protocols make to issue: an SD-JWT VC copy of licence <c>code</c> for holder person
/// <c>person</c>, bound to the wallet key <c>key</c>. It records the copy in the licence's usage before handing it out, so no
/// copy leaves without a trace. The format of the copy (and its own status entry, revoked when the person is removed) is
/// the SD-JWT VC issuer's business, not the protocol's.
/// </summary>
public sealed class WalletCopyIssuer(SdJwtVcIssuer issuer, IUsageLog usage, TimeProvider time)
{
    public const string UsageDocument = "openid4vci";

    public async Task<WalletCopy> IssueCopyAsync(CreditCode code, WalletPerson person, HolderJwk key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        var (combined, _, version, _) = await issuer.IssueAsync(code, key, cancellationToken);
        var record = new UsageRecord(ResourceIds.New("wc_"), UsageKind.Download, time.GetUtcNow(), person.KeyId, person.Name, Document: UsageDocument);
        await usage.AppendAsync(code, record, cancellationToken);
        return new WalletCopy(combined, record.Id, version);
    }
}
