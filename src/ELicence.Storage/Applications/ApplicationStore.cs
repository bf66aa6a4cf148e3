namespace ELicence.Storage.Applications;

/// <summary>Applications in Table Storage, one partition each (no hot partition under load).</summary>
public sealed class ApplicationStore(StorageClients storage) : IApplicationStore
{
    private const string Row = "application";
    private readonly TableClient _table = storage.Table(StorageNames.ApplicationsTable);

    public async Task<LicenceApplication?> TryAddAsync(LicenceApplication application, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(application);
        try
        {
            var response = await _table.AddEntityAsync(ToEntity(application), cancellationToken);
            return application with { ETag = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    public async Task<LicenceApplication?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var entity = await _table.FindAsync<ApplicationEntity>(id, Row, cancellationToken);
        return entity is null ? null : FromEntity(entity);
    }

    public Task<bool> TryUpdateAsync(LicenceApplication application, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(application);
        var etag = application.ETag is null ? throw new ArgumentException("An update needs the ETag that was read.", nameof(application)) : new ETag(application.ETag);
        return _table.TryReplaceAsync(ToEntity(application), etag, cancellationToken);
    }

    private static ApplicationEntity ToEntity(LicenceApplication a) => new()
    {
        PartitionKey = a.Id,
        RowKey = Row,
        Status = a.Status.ToString(),
        Details = ElicenceJson.Serialize(a.Details),
        SubmittedBy = a.SubmittedBy,
        SubmittedByName = a.SubmittedByName,
        SubmittedAt = a.SubmittedAt,
        Queued = a.Queued,
        CreditCode = a.CreditCode,
        IssuedAt = a.IssuedAt,
        FailedAttempts = a.FailedAttempts,
        LastError = a.LastError,
        FailureReason = a.FailureReason,
    };

    private static LicenceApplication FromEntity(ApplicationEntity e) => new(
        e.PartitionKey,
        ElicenceJson.Deserialize<LicenceDetails>(e.Details) ?? throw new InvalidDataException($"Application {e.PartitionKey} has no details."),
        Enum.Parse<ApplicationStatus>(e.Status),
        e.SubmittedBy,
        e.SubmittedAt,
        e.Queued,
        e.CreditCode,
        e.IssuedAt,
        e.FailedAttempts,
        e.LastError,
        e.FailureReason,
        e.ETag.ToString())
    {
        SubmittedByName = e.SubmittedByName,
    };

    private sealed class ApplicationEntity : ITableEntity
    {
        public string PartitionKey { get; set; } = "";

        public string RowKey { get; set; } = "";

        public DateTimeOffset? Timestamp { get; set; }

        public ETag ETag { get; set; }

        public string Status { get; set; } = "";

        public string Details { get; set; } = "";

        public string SubmittedBy { get; set; } = "";

        public string? SubmittedByName { get; set; }

        public DateTimeOffset SubmittedAt { get; set; }

        public bool Queued { get; set; }

        public string? CreditCode { get; set; }

        public DateTimeOffset? IssuedAt { get; set; }

        public int FailedAttempts { get; set; }

        public string? LastError { get; set; }

        public string? FailureReason { get; set; }
    }
}
