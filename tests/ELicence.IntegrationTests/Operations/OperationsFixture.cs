using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ELicence.IntegrationTests.Operations;

/// <summary>
/// The service as operators meet it: accepting Entra ID tokens from a <see cref="TestIssuer"/> served inside the test run,
/// and exporting its spans and metrics to OpenTelemetry's in-memory exporter.
/// </summary>
public sealed class OperationsFixture : ServiceFixture, IDisposable
{
    public TestIssuer Issuer { get; } = TestIssuer.Start();

    /// <summary>Every finished span, appended by the exporter as spans end (copy with ToArray before reading).</summary>
    public List<Activity> Spans { get; } = [];

    private List<Metric> Metrics { get; } = [];

    protected override IEnumerable<string> Settings =>
    [
        .. base.Settings,
        $"--EntraId:Authority={Issuer.Authority}",
        $"--EntraId:Audience={TestIssuer.Audience}",
        "--EntraId:RequireHttpsMetadata=false",
    ];

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(Metrics));
    }

    /// <summary>Collects the metrics now and returns each point of <paramref name="name"/> as (tags, value).</summary>
    public IReadOnlyList<(Dictionary<string, object?> Tags, double Value)> CollectMetric(string name)
    {
        lock (Metrics)
        {
            Metrics.Clear();
            Assert.True(Services.GetRequiredService<MeterProvider>().ForceFlush());
            var points = new List<(Dictionary<string, object?>, double)>();
            foreach (var metric in Metrics.Where(m => m.Name == name))
            {
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    var tags = new Dictionary<string, object?>();
                    foreach (var tag in point.Tags)
                    {
                        tags[tag.Key] = tag.Value;
                    }

                    points.Add((tags, metric.MetricType switch
                    {
                        MetricType.LongSum => point.GetSumLong(),
                        MetricType.DoubleSum => point.GetSumDouble(),
                        MetricType.LongGauge => point.GetGaugeLastValueLong(),
                        MetricType.DoubleGauge => point.GetGaugeLastValueDouble(),
                        MetricType.Histogram => point.GetHistogramCount(),
                        _ => double.NaN,
                    }));
                }
            }

            return points;
        }
    }

    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendWithTokenAsync(HttpMethod method, string path, string token, object? json = null)
    {
        using var request = Request(method, path, apiKey: null, json);
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        var response = await Http.SendAsync(request);
        return (response.StatusCode, await Json.ReadAsync(response), response);
    }

    public void Dispose() => Issuer.DisposeAsync().AsTask().GetAwaiter().GetResult();
}

[CollectionDefinition(Name)]
public sealed class OperationsCollection : ICollectionFixture<OperationsFixture>
{
    public const string Name = "operations";
}
