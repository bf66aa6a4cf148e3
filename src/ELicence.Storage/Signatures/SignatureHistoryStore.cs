using ELicence.Core.Signatures;
using ELicence.Storage.Licences;

namespace ELicence.Storage.Signatures;

/// <summary>Signatures as rows "signature-{ticks}-{signature id}" in the licence's partition of the licences table (see <see cref="LicenceSideRows{T}"/>).</summary>
public sealed class SignatureHistoryStore(StorageClients storage) : ISignatureHistory
{
    private readonly LicenceSideRows<SignatureEntry> _rows = new(storage, "signature", "Signature");

    public Task AppendAsync(CreditCode code, SignatureEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return _rows.AppendAsync(code, entry.At, entry.Id, entry, cancellationToken);
    }

    public Task<IReadOnlyList<SignatureEntry>> ListAsync(CreditCode code, CancellationToken cancellationToken) => _rows.ListAsync(code, cancellationToken);
}
