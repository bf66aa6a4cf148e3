using ELicence.Core.Callers;
using ELicence.Core.Licences;
using ELicence.Core.Problems;

namespace ELicence.Core.Receipts;

/// <summary>A stored receipt of either kind as the API serves it: its id, the signed token and its decoded claims.</summary>
public sealed record ReceiptDocument(string Id, string Jws, object Claims);

/// <summary>Reads receipts, single (<c>rcpt_…</c>, through <see cref="LicenceQueries"/>) and batch (<c>rcptb_…</c>), for their owner verifier and the registrar.</summary>
public sealed class ReceiptQueries(LicenceQueries licenceQueries, IBatchReceiptStore batches, Keys.IKeyRingProvider? keys = null)
{
    /// <summary>
    /// The receipt signed with <paramref name="alg"/>: as stored (EdDSA, the default), or its same claims signed now with the
    /// ring's ES256 key and its <c>x5c</c>, for verifiers whose JOSE stack has no EdDSA. The stored receipt stays the record.
    /// </summary>
    public async Task<ReceiptDocument> GetAsync(Caller caller, string id, string? alg, CancellationToken cancellationToken)
    {
        var document = await GetAsync(caller, id, cancellationToken);
        if (alg is null or Keys.SigningKey.EdDsa)
        {
            return document;
        }

        if (alg != Jose.Es256.Algorithm || keys is null)
        {
            throw ProblemException.Invalid("alg", "EdDSA (the default, as stored) or ES256.");
        }

        var ring = await keys.GetAsync(cancellationToken);
        var key = ring.SigningEs256 ?? throw new InvalidOperationException("The key ring has no active ES256 key.");
        var type = document.Claims is BatchReceipt ? BatchReceipt.JwsType : Receipt.JwsType;
        return document with { Jws = Keys.KeyJws.SignJson(key, type, document.Claims, ring.ChainOf(key)) };
    }

    public async Task<ReceiptDocument> GetAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!BatchReceipt.IsWellFormedId(id))
        {
            var receipt = await licenceQueries.GetReceiptAsync(caller, id, cancellationToken);
            return new ReceiptDocument(receipt.Id, receipt.Jws, receipt.Receipt);
        }

        if (caller.Role == Role.Holder)
        {
            throw ProblemException.Forbidden("Receipts belong to the verifier that made them and to the registrar.");
        }

        var batch = await batches.FindAsync(id, cancellationToken);
        if (batch is null || (caller.Role == Role.Verifier && batch.VerifierId != caller.Id))
        {
            // Another verifier's receipt is reported as absent: its existence is not theirs to know.
            throw ProblemException.NotFound($"There is no receipt '{id}' of yours.");
        }

        return new ReceiptDocument(batch.Id, batch.Jws, batch.Receipt);
    }
}
