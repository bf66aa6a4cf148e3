using ELicence.Core.Callers;
using ELicence.Core.CreditCodes;
using ELicence.Core.Problems;
using ELicence.Core.Receipts;

namespace ELicence.Core.Licences;

/// <summary>Reads for registrars, holders and verifiers, each limited to what that caller may see.</summary>
public sealed class LicenceQueries(ILicenceStore licences, ICredentialStore credentials, IReceiptStore receipts, ICreditCodeExceptions codeExceptions)
{
    public async Task<Licence> GetLicenceAsync(Caller caller, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var creditCode = ParseCode(code);
        caller.EnsureMayReadLicence(creditCode);
        return await licences.FindCurrentAsync(creditCode, cancellationToken) ?? throw ProblemException.NotFound($"The register has no licence {creditCode}.");
    }

    /// <summary>The signed credential of the licence's current version.</summary>
    public async Task<string> GetCredentialAsync(Caller caller, string code, CancellationToken cancellationToken)
    {
        var licence = await GetLicenceAsync(caller, code, cancellationToken);
        return await credentials.FindAsync(licence.Code, licence.Version, cancellationToken)
            ?? throw ProblemException.NotFound($"The credential of licence {licence.Code} version {licence.Version} is not available yet.");
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

    public CreditCode ParseCode(string code)
    {
        var validation = CreditCode.Validate(code, codeExceptions);
        return validation.IsValid ? validation.Code.Value : throw ProblemException.Invalid("code", validation.Message);
    }
}
