using ELicence.Core.Callers;
using ELicence.Core.Credentials;
using ELicence.Core.Keys;
using ELicence.Core.CreditCodes;
using ELicence.Core.Receipts;

namespace ELicence.Core.Licences;

/// <summary>Reads for registrars, holders and verifiers, each limited to what that caller may see.</summary>
public sealed class LicenceQueries(ILicenceStore licences, ICredentialStore credentials, IReceiptStore receipts, IKeyRingProvider keys, IssuerOptions issuer, ICreditCodeExceptions codeExceptions)
{
    public async Task<Licence> GetLicenceAsync(Caller caller, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var creditCode = codeExceptions.ParseField(code);
        caller.EnsureMayReadLicence(creditCode);
        return await licences.GetCurrentAsync(creditCode, cancellationToken);
    }

    /// <summary>The licence's append-only history, oldest first.</summary>
    public async Task<IReadOnlyList<LicenceEvent>> GetHistoryAsync(Caller caller, string code, CancellationToken cancellationToken)
    {
        var licence = await GetLicenceAsync(caller, code, cancellationToken);
        return await licences.GetHistoryAsync(licence.Code, cancellationToken);
    }

    /// <summary>
    /// The signed credential of the licence's current version. If a crash lost it between the commit of the version and
    /// the write of its credential, it is signed again from the stored version (signing is deterministic) and stored.
    /// </summary>
    public async Task<string> GetCredentialAsync(Caller caller, string code, CancellationToken cancellationToken) =>
        (await GetCurrentCredentialAsync(caller, code, cancellationToken)).Credential;

    /// <summary>
    /// A compact credential as a general JWS JSON serialization: its EdDSA signature and the active SM2
    /// key's signature over the same payload. SM2 signing here is deterministic, so the same version and keys always give the
    /// same text and nothing more is stored.
    /// </summary>
    public async Task<string> WithSm2SignatureAsync(string compact, CancellationToken cancellationToken)
    {
        var sm2 = (await keys.GetAsync(cancellationToken)).SigningSm2
            ?? throw new ProblemException(ProblemType.NotAcceptable, "This service's key ring has no SM2 key yet, so only the compact EdDSA credential (application/vc+jwt) is available.");
        return KeyJws.WithSecondSignature(compact, sm2);
    }

    /// <summary>The licence as it stands and the credential of that same version (see <see cref="GetCredentialAsync"/>).</summary>
    public async Task<(Licence Licence, string Credential)> GetCurrentCredentialAsync(Caller caller, string code, CancellationToken cancellationToken)
    {
        var licence = await GetLicenceAsync(caller, code, cancellationToken);
        return (licence, await CredentialOfAsync(licence, cancellationToken));
    }

    private async Task<string> CredentialOfAsync(Licence licence, CancellationToken cancellationToken)
    {
        var stored = await credentials.FindAsync(licence.Code, licence.Version, cancellationToken);
        if (stored is not null)
        {
            return stored;
        }

        var ring = await keys.GetAsync(cancellationToken);
        await credentials.PutIfAbsentAsync(licence.Code, licence.Version, LicenceCredential.Sign(licence, issuer, ring.Signing), cancellationToken);
        return await credentials.FindAsync(licence.Code, licence.Version, cancellationToken) ?? throw new InvalidOperationException($"The credential of {licence.Code} could not be stored.");
    }

    public async Task<IReadOnlyList<OperatingPermit>> GetPermitsAsync(Caller caller, string code, CancellationToken cancellationToken)
    {
        var licence = await GetLicenceAsync(caller, code, cancellationToken);
        return await licences.GetPermitsAsync(licence.Code, cancellationToken);
    }

    /// <summary>A receipt, for the verifier that owns it or the registrar.</summary>
    public async Task<StoredReceipt> GetReceiptAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Role == Role.Holder)
        {
            throw ProblemException.Forbidden("Receipts belong to the verifier that made them and to the registrar.");
        }

        var receipt = Receipt.IsWellFormedId(id) ? await receipts.FindAsync(id, cancellationToken) : null;
        if (receipt is null || (caller.Role == Role.Verifier && receipt.VerifierId != caller.Id))
        {
            // Another verifier's receipt is reported as absent: its existence is not theirs to know.
            throw ProblemException.NotFound($"There is no receipt '{id}' of yours.");
        }

        return receipt;
    }
}
