using System.Collections.Concurrent;
using ELicence.Core.AnnualReports;
using ELicence.Core.Signatures;
using ELicence.Core.Usage;

namespace ELicence.Core.UnitTests.Fakes;

/// <summary>Annual reports in memory with the Table store's semantics: a version is added once, replaced only under its ETag.</summary>
internal sealed class InMemoryAnnualReportStore : IAnnualReportStore
{
    private readonly ConcurrentDictionary<(string Code, int Year, int Version), AnnualReport> _rows = new();
    private readonly ConcurrentDictionary<string, AnnualReportStanding> _standings = new(StringComparer.Ordinal);
    private int _etag;

    public AnnualReportStanding? StandingOf(CreditCode code) => _standings.GetValueOrDefault(code.Value);

    public Task<bool> TryAddAsync(AnnualReport report, CancellationToken cancellationToken) =>
        Task.FromResult(_rows.TryAdd((report.CreditCode, report.Year, report.Version), report with { ETag = NewETag() }));

    public Task<IReadOnlyList<AnnualReport>> ListAsync(CreditCode code, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AnnualReport>>([.. _rows.Values.Where(r => r.CreditCode == code.Value).OrderBy(r => r.Year).ThenBy(r => r.Version)]);

    public Task<bool> TryReplaceAsync(AnnualReport report, CancellationToken cancellationToken)
    {
        lock (_rows)
        {
            var key = (report.CreditCode, report.Year, report.Version);
            if (!_rows.TryGetValue(key, out var stored) || stored.ETag != report.ETag)
            {
                return Task.FromResult(false);
            }

            _rows[key] = report with { ETag = NewETag() };
            return Task.FromResult(true);
        }
    }

    public Task SetStandingAsync(CreditCode code, AnnualReportStanding? standing, CancellationToken cancellationToken)
    {
        if (standing is null)
        {
            _standings.TryRemove(code.Value, out _);
        }
        else
        {
            _standings[code.Value] = standing;
        }

        return Task.CompletedTask;
    }

    private string NewETag() => "W/\"" + Interlocked.Increment(ref _etag) + "\"";
}

/// <summary>Signatures and usage records kept in lists, for what signing with the licence writes beside the signature.</summary>
internal sealed class RecordingSigningLogs : ISignatureHistory, IUsageLog
{
    public List<SignatureEntry> Signatures { get; } = [];

    public List<UsageRecord> Usage { get; } = [];

    public Task AppendAsync(CreditCode code, SignatureEntry entry, CancellationToken cancellationToken)
    {
        Signatures.Add(entry);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SignatureEntry>> ListAsync(CreditCode code, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<SignatureEntry>>([.. Signatures]);

    public Task AppendAsync(CreditCode code, UsageRecord record, CancellationToken cancellationToken)
    {
        Usage.Add(record);
        return Task.CompletedTask;
    }

    public Task<UsagePage> ReadAsync(CreditCode code, UsageQuery query, CancellationToken cancellationToken) => Task.FromResult(new UsagePage([.. Usage], null));
}
