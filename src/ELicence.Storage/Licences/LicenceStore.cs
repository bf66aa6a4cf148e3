using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ELicence.Core.CreditCodes;
using ELicence.Core.Licences;
using ELicence.Core.Serialization;

namespace ELicence.Storage.Licences;

/// <summary>
/// Licences in Table Storage, partitioned by credit code: row "current" is the licence as it stands, and one row per version
/// ("v000001"…) keeps every version ever issued. Lookups on the verify path are point reads spread over all codes.
/// </summary>
public sealed class LicenceStore(StorageClients storage) : ILicenceStore
{
    private const string CurrentRow = "current";
    private readonly TableClient _table = storage.Table(StorageNames.LicencesTable);

    public static string VersionRow(int version) => "v" + version.ToString("D6", CultureInfo.InvariantCulture);

    public async Task<bool> TryAddAsync(Licence licence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(licence);
        try
        {
            await _table.SubmitTransactionAsync(
            [
                new(TableTransactionActionType.Add, ToEntity(licence, CurrentRow)),
                new(TableTransactionActionType.Add, ToEntity(licence, VersionRow(licence.Version))),
            ], cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<Licence?> FindCurrentAsync(CreditCode code, CancellationToken cancellationToken)
    {
        var entity = await _table.FindAsync<LicenceEntity>(code.Value, CurrentRow, cancellationToken);
        return entity is null ? null : FromEntity(entity);
    }

    private static LicenceEntity ToEntity(Licence l, string row) => new()
    {
        PartitionKey = l.Code.Value,
        RowKey = row,
        Version = l.Version,
        Status = l.Status.ToString(),
        Details = ElicenceJson.Serialize(l.Details),
        IssuedOn = l.IssuedOn.ToString("O", CultureInfo.InvariantCulture),
        IssuedAt = l.IssuedAt,
        CredentialId = l.CredentialId,
        ApplicationId = l.ApplicationId,
    };

    private static Licence FromEntity(LicenceEntity e) => new(
        CreditCode.Parse(e.PartitionKey, new CreditCodeExceptionList([e.PartitionKey])),
        e.Version,
        ElicenceJson.Deserialize<LicenceDetails>(e.Details) ?? throw new InvalidDataException($"Licence {e.PartitionKey} has no details."),
        Enum.Parse<LicenceStatus>(e.Status),
        DateOnly.ParseExact(e.IssuedOn, "O", CultureInfo.InvariantCulture),
        e.IssuedAt,
        e.CredentialId,
        e.ApplicationId);

    private sealed class LicenceEntity : ITableEntity
    {
        public string PartitionKey { get; set; } = "";

        public string RowKey { get; set; } = "";

        public DateTimeOffset? Timestamp { get; set; }

        public ETag ETag { get; set; }

        public int Version { get; set; }

        public string Status { get; set; } = "";

        public string Details { get; set; } = "";

        public string IssuedOn { get; set; } = "";

        public DateTimeOffset IssuedAt { get; set; }

        public string CredentialId { get; set; } = "";

        public string ApplicationId { get; set; } = "";
    }
}
