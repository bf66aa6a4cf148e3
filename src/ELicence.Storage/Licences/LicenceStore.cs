namespace ELicence.Storage.Licences;

/// <summary>
/// Licences in Table Storage, one partition per credit code, so that every change commits atomically in one
/// entity-group transaction: row "current" (the licence as it stands, guarded by its ETag), "v000001"… (every version),
/// "e000001"… (the append-only history), "permit-…", "objection-{id}", "status-sync" (a change not yet in the status list)
/// and "outbox-e000001"… (events not yet handed to the event subscribers, <see cref="LicenceOutbox"/>). After a commit the
/// store nudges the outbox's relay through the licence-events queue; a lost nudge is found by the relay's sweep.
/// </summary>
public sealed class LicenceStore(StorageClients storage, ILicenceEventQueue events) : ILicenceStore
{
    private const string CurrentRow = "current";
    private const string StatusSyncRow = "status-sync";
    private const string PermitRowPrefix = "permit-";
    private const string PermitRowEnd = "permit.";
    private const string ObjectionRowPrefix = "objection-";
    private const string ObjectionRowEnd = "objection.";
    private readonly TableClient _table = storage.Table(StorageNames.LicencesTable);

    public static string VersionRow(int version) => "v" + version.ToString("D6", CultureInfo.InvariantCulture);

    internal static string EventRow(int sequence) => "e" + sequence.ToString("D6", CultureInfo.InvariantCulture);

    public async Task<bool> TryAddAsync(Licence licence, LicenceEvent issued, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(licence);
        ArgumentNullException.ThrowIfNull(issued);
        try
        {
            await _table.SubmitTransactionAsync(
            [
                new(TableTransactionActionType.Add, ToEntity(licence, CurrentRow)),
                new(TableTransactionActionType.Add, ToEntity(licence, VersionRow(licence.Version))),
                new(TableTransactionActionType.Add, EventEntity(licence.Code, issued)),
                new(TableTransactionActionType.UpsertReplace, SyncEntity(licence.Code, issued.Sequence)),
                new(TableTransactionActionType.Add, LicenceOutbox.PendingEntity(licence.Code, issued)),
            ], cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            return false;
        }

        await NudgeAsync(licence.Code, cancellationToken);
        return true;
    }

    public async Task<Licence?> FindCurrentAsync(CreditCode code, CancellationToken cancellationToken)
    {
        var entity = await _table.FindAsync<TableEntity>(code.Value, CurrentRow, cancellationToken);
        return entity is null ? null : FromEntity(entity);
    }

    public async Task<LicenceWithPermits?> FindCurrentWithPermitsAsync(CreditCode code, CancellationToken cancellationToken)
    {
        Licence? licence = null;
        AnnualReportStanding? annualReport = null;
        var permits = new List<OperatingPermit>();
        var partition = code.Value;
        const string standingRow = AnnualReports.AnnualReportStore.StandingRow;
        await foreach (var e in _table.QueryAsync<TableEntity>(
            x => x.PartitionKey == partition && (x.RowKey == CurrentRow || x.RowKey == standingRow || (x.RowKey.CompareTo(PermitRowPrefix) >= 0 && x.RowKey.CompareTo(PermitRowEnd) < 0)),
            cancellationToken: cancellationToken))
        {
            if (e.RowKey == CurrentRow)
            {
                licence = FromEntity(e);
            }
            else if (e.RowKey == standingRow)
            {
                annualReport = AnnualReports.AnnualReportStore.StandingOf(e);
            }
            else
            {
                permits.Add(Permit(e));
            }
        }

        return licence is null ? null : new LicenceWithPermits(licence, [.. permits.OrderBy(p => p.AttachedAt)]) { AnnualReport = annualReport };
    }

    public async Task<Licence?> FindVersionAsync(CreditCode code, int version, CancellationToken cancellationToken)
    {
        var entity = await _table.FindAsync<TableEntity>(code.Value, VersionRow(version), cancellationToken);
        return entity is null ? null : FromEntity(entity);
    }

    public async Task<IReadOnlyList<Licence>> FindVersionsAsync(CreditCode code, CancellationToken cancellationToken) =>
        (await RowsAsync(code, "v", "w", cancellationToken)).Select(FromEntity).ToList();

    public async Task<Licence?> TrySaveAsync(LicenceChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var licence = change.Updated;
        var etag = licence.ETag is null ? throw new ArgumentException("A change needs the ETag of the licence it was made on.", nameof(change)) : new ETag(licence.ETag);
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateReplace, ToEntity(licence, CurrentRow), etag),
            new(TableTransactionActionType.Add, EventEntity(licence.Code, change.Event)),
            new(TableTransactionActionType.UpsertReplace, SyncEntity(licence.Code, change.Event.Sequence)),
            new(TableTransactionActionType.Add, LicenceOutbox.PendingEntity(licence.Code, change.Event)),
        };
        if (change.AddsVersion)
        {
            actions.Add(new(TableTransactionActionType.Add, ToEntity(licence, VersionRow(licence.Version))));
        }

        if (change.Permit is { } p)
        {
            actions.Add(new(TableTransactionActionType.Add, new TableEntity(licence.Code.Value, PermitRowPrefix + p.Id) { ["Permit"] = ElicenceJson.Serialize(p) }));
        }

        foreach (var objection in change.Objections ?? [])
        {
            // Guarded by the licence's ETag above: the whole transaction fails if the licence changed.
            actions.Add(new(TableTransactionActionType.UpsertReplace, new TableEntity(licence.Code.Value, ObjectionRowPrefix + objection.Id) { ["Objection"] = ElicenceJson.Serialize(objection) }));
        }

        Licence committed;
        try
        {
            // The first action replaces "current": its sub-response carries the ETag the commit gave the licence.
            var responses = await _table.SubmitTransactionAsync(actions, cancellationToken);
            var committedETag = responses.Value[0].Headers.ETag ?? throw new InvalidOperationException($"The commit of {licence.Code} returned no ETag.");
            committed = licence with { ETag = committedETag.ToString() };
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 409 or 404)
        {
            return null;
        }

        await NudgeAsync(committed.Code, cancellationToken);
        return committed;
    }

    /// <summary>
    /// Asks the relay to hand the new event over now. Best effort: the change is committed and its outbox row says so, so a
    /// failed nudge must not fail the request (a client retrying a committed change would get a conflict); the sweep finds it.
    /// </summary>
    private async Task NudgeAsync(CreditCode code, CancellationToken cancellationToken)
    {
        try
        {
            await events.EnqueueAsync(code, cancellationToken);
        }
        catch (RequestFailedException)
        {
            // The outbox row stays; LicenceEventDispatcher.SweepAsync re-sends it.
        }
    }

    public async Task<IReadOnlyList<LicenceEvent>> GetHistoryAsync(CreditCode code, CancellationToken cancellationToken) =>
        (await RowsAsync(code, "e", "f", cancellationToken))
            .Select(e => ElicenceJson.Deserialize<LicenceEvent>(e.GetString("Event")) ?? throw new InvalidDataException($"Event {e.RowKey} of {code} is empty."))
            .ToList();

    public async Task<IReadOnlyList<OperatingPermit>> GetPermitsAsync(CreditCode code, CancellationToken cancellationToken) =>
        (await RowsAsync(code, PermitRowPrefix, PermitRowEnd, cancellationToken))
            .Select(Permit)
            .OrderBy(p => p.AttachedAt)
            .ToList();

    public async Task<IReadOnlyList<Objection>> GetObjectionsAsync(CreditCode code, CancellationToken cancellationToken) =>
        (await RowsAsync(code, ObjectionRowPrefix, ObjectionRowEnd, cancellationToken))
            .Select(e => ElicenceJson.Deserialize<Objection>(e.GetString("Objection")) ?? throw new InvalidDataException($"Objection {e.RowKey} of {code} is empty."))
            .OrderBy(o => o.LodgedAt)
            .ToList();

    public async IAsyncEnumerable<Licence> FindByStatusAsync(LicenceStatus status, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in _table.QueryAsync<TableEntity>(x => x.RowKey == CurrentRow && x.GetString("Status") == status.ToString(), cancellationToken: cancellationToken))
        {
            yield return FromEntity(e);
        }
    }

    public async IAsyncEnumerable<CreditCode> FindPendingStatusSyncAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in _table.QueryAsync<TableEntity>(x => x.RowKey == StatusSyncRow, select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            yield return Code(e.PartitionKey);
        }
    }

    public async Task ClearPendingStatusSyncAsync(CreditCode code, int changeSequence, CancellationToken cancellationToken)
    {
        var row = await _table.FindAsync<TableEntity>(code.Value, StatusSyncRow, cancellationToken);
        if (row is null || row.GetInt32("ChangeSequence") > changeSequence)
        {
            return; // a newer change is pending: its own sync clears it
        }

        try
        {
            await _table.DeleteEntityAsync(code.Value, StatusSyncRow, row.ETag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Deleted by a concurrent sync, or set again by a newer change.
        }
    }

    private async Task<List<TableEntity>> RowsAsync(CreditCode code, string from, string to, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        var partition = code.Value;
        await foreach (var e in _table.QueryAsync<TableEntity>(x => x.PartitionKey == partition && x.RowKey.CompareTo(from) >= 0 && x.RowKey.CompareTo(to) < 0, cancellationToken: cancellationToken))
        {
            rows.Add(e);
        }

        return rows;
    }

    private static OperatingPermit Permit(TableEntity e) =>
        ElicenceJson.Deserialize<OperatingPermit>(e.GetString("Permit")) ?? throw new InvalidDataException($"Permit {e.RowKey} of {e.PartitionKey} is empty.");

    private static TableEntity SyncEntity(CreditCode code, int sequence) => new(code.Value, StatusSyncRow) { ["ChangeSequence"] = sequence };

    private static TableEntity EventEntity(CreditCode code, LicenceEvent e) => new(code.Value, EventRow(e.Sequence))
    {
        ["Event"] = ElicenceJson.Serialize(e),
        ["Type"] = e.Type,
        ["At"] = e.At,
    };

    private static TableEntity ToEntity(Licence l, string row) => new(l.Code.Value, row)
    {
        ["Version"] = l.Version,
        ["Status"] = l.Status.ToString(),
        ["StatusDetail"] = ElicenceJson.Serialize(l.StatusDetail),
        ["Details"] = ElicenceJson.Serialize(l.Details),
        ["TermEnd"] = l.Details.OperatingTerm.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
        ["IssuedOn"] = l.IssuedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["IssuedAt"] = l.IssuedAt,
        ["CredentialId"] = l.CredentialId,
        ["ApplicationId"] = l.ApplicationId,
        ["StatusListIndex"] = l.StatusListIndex,
        ["EventCount"] = l.EventCount,
        ["CredentialSha256"] = l.CredentialSha256,
    };

    private static Licence FromEntity(TableEntity e) => new(
        Code(e.PartitionKey),
        e.GetInt32("Version") ?? 1,
        ElicenceJson.Deserialize<LicenceDetails>(e.GetString("Details")) ?? throw new InvalidDataException($"Licence {e.PartitionKey} has no details."),
        Enum.Parse<LicenceStatus>(e.GetString("Status")),
        ElicenceJson.Deserialize<StatusDetail>(e.GetString("StatusDetail")) ?? throw new InvalidDataException($"Licence {e.PartitionKey} has no status detail."),
        DateOnly.ParseExact(e.GetString("IssuedOn"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
        e.GetDateTimeOffset("IssuedAt") ?? default,
        e.GetString("CredentialId"),
        e.GetString("ApplicationId"),
        e.GetInt64("StatusListIndex") ?? throw new InvalidDataException($"Licence {e.PartitionKey} has no status list index."),
        e.GetInt32("EventCount") ?? 0,
        e.ETag.ToString())
    {
        CredentialSha256 = e.GetString("CredentialSha256"),
    };

    // Codes in the register were validated when issued; a listed legacy code must still load.
    private static CreditCode Code(string value) => CreditCode.FromStored(value);
}
