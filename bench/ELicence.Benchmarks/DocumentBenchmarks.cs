using BenchmarkDotNet.Attributes;
using ELicence.Core.Credentials;
using ELicence.Core.Keys;
using ELicence.Core.Licences;
using ELicence.Documents;

namespace ELicence.Benchmarks;

/// <summary>
/// Generating the documents a holder downloads. Baseline: signing the licence's credential (what issuance and every
/// amendment already pay), so the ratio says what a PDF or a QR code costs next to it. The goal is a PDF p95
/// under 200 ms; BenchmarkDotNet reports the percentiles (P95 column), not a test.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PercentileConfig))]
public class DocumentBenchmarks
{
    private static readonly DocumentOptions Options = new();
    private static readonly PublicPageOptions Page = new();
    private readonly IssuerOptions _issuer = new();
    private KeyRing _ring = null!;
    private Licence _licence = null!;
    private string _credential = null!;
    private string _link = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ring = KeyRing.CreateNew(DateTimeOffset.UnixEpoch);
        _licence = SampleLicence.Create();
        _credential = LicenceCredential.Sign(_licence, _issuer, _ring.Signing);
        _link = PrintedCopy.Link(Page, _licence.Code, _licence.Version, _credential);
        LicenceFont.EnsureInstalled(Options);
    }

    [Benchmark(Baseline = true)]
    public string Sign_credential() => LicenceCredential.Sign(_licence, _issuer, _ring.Signing);

    [Benchmark]
    public byte[] Qr_png() => QrCodes.Png(_link);

    [Benchmark]
    public byte[] Licence_pdf() =>
        LicencePdf.Render(new LicencePdfInput(_licence, _credential, _link, PrintedCopy.PageUrl(Page, _licence.Code), _issuer), Options);

    private sealed class PercentileConfig : BenchmarkDotNet.Configs.ManualConfig
    {
        public PercentileConfig() => AddColumn(BenchmarkDotNet.Columns.StatisticColumn.P95);
    }
}
