using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orchestrator.Testing.Telemetry;

namespace Orchestrator.Tests.Observability;

/// <summary>
/// The end-to-end tests' OTLP collector, fed by the OpenTelemetry SDK's own OTLP exporter over HTTP/protobuf (what
/// the services use), so its hand-written decoding is checked against the real wire format.
/// </summary>
public sealed class OtlpCollectorTests : IAsyncLifetime
{
    private readonly string _name = $"Collector.Tests.{Guid.NewGuid():N}";
    private OtlpCollector _collector = null!;

    public async ValueTask InitializeAsync() => _collector = await OtlpCollector.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await _collector.DisposeAsync();

    [Fact]
    public void Spans_keep_their_service_ids_parent_name_and_attributes()
    {
        using var source = new ActivitySource(_name);
        string traceId, parentId, childId;
        using (var tracing = Sdk.CreateTracerProviderBuilder()
                   .ConfigureResource(r => r.AddService("coder"))
                   .AddSource(_name)
                   .AddOtlpExporter(o => Export(o, "v1/traces"))
                   .Build())
        {
            using (var parent = source.StartActivity("consume ImplementTask")!)
            {
                parent.SetTag("orchestrator.feature_id", "5f0c1c0e-0000-4000-8000-000000000001");
                parent.SetTag("orchestrator.attempt", 2);
                parent.SetTag("retried", true);
                using var task = source.StartActivity("Coder task implement-power")!;
                (traceId, parentId, childId) = (parent.TraceId.ToHexString(), parent.SpanId.ToHexString(), task.SpanId.ToHexString());
            }

            Assert.True(tracing.ForceFlush(10_000));
        }

        var spans = _collector.Spans;
        Assert.Equal(2, spans.Count);
        Assert.All(spans, s => Assert.Equal(("coder", traceId), (s.Service, s.TraceId)));
        var root = Assert.Single(spans, s => s.ParentSpanId is null);
        Assert.Equal((parentId, "consume ImplementTask"), (root.SpanId, root.Name));
        Assert.Equal("5f0c1c0e-0000-4000-8000-000000000001", root.Attributes["orchestrator.feature_id"]);
        Assert.Equal(("2", "true"), (root.Attributes["orchestrator.attempt"], root.Attributes["retried"]));
        var child = Assert.Single(spans, s => s.ParentSpanId is not null);
        Assert.Equal((childId, parentId, "Coder task implement-power"), (child.SpanId, child.ParentSpanId, child.Name));
    }

    [Fact]
    public void Counters_histograms_and_gauges_keep_their_names_tags_and_values()
    {
        using var meter = new Meter(_name);
        var tokens = meter.CreateCounter<long>("test.tokens");
        var duration = meter.CreateHistogram<double>("test.duration", unit: "s");
        meter.CreateObservableGauge("test.depth", () => new Measurement<long>(3, new KeyValuePair<string, object?>("queue", "coder")));
        // Shutting the provider down exports once, so each point arrives exactly once.
        using (Sdk.CreateMeterProviderBuilder()
                   .ConfigureResource(r => r.AddService("orchestrator"))
                   .AddMeter(_name)
                   .AddOtlpExporter((exporter, _) => Export(exporter, "v1/metrics"))
                   .Build())
        {
            tokens.Add(40, new("model", "scripted:demo-power"), new("direction", "input"));
            duration.Record(2.5, new KeyValuePair<string, object?>("role", "coder"));
            duration.Record(4.0, new KeyValuePair<string, object?>("role", "coder"));
        }

        var points = _collector.MetricPoints;
        Assert.All(points, p => Assert.Equal("orchestrator", p.Service));
        var counted = Assert.Single(points, p => p.Metric == "test.tokens");
        Assert.Equal(40, counted.Value);
        Assert.Equal(new Dictionary<string, string> { ["model"] = "scripted:demo-power", ["direction"] = "input" }, counted.Attributes);
        var histogram = Assert.Single(points, p => p.Metric == "test.duration");
        Assert.Equal((2.0, "coder"), (histogram.Value, histogram.Attributes["role"]));
        var gauge = Assert.Single(points, p => p.Metric == "test.depth");
        Assert.Equal((3.0, "coder"), (gauge.Value, gauge.Attributes["queue"]));
    }

    [Fact]
    public async Task A_request_that_is_not_protobuf_is_refused_and_keeps_nothing()
    {
        using var http = new HttpClient { BaseAddress = _collector.Endpoint };
        // Field 1, length-delimited, claiming 127 bytes that never come.
        using var body = new ByteArrayContent([0x0A, 0x7F, 0x01]);

        var response = await http.PostAsync("v1/traces", body, TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, _collector.RejectedRequests);
        Assert.Empty(_collector.Spans);
    }

    private void Export(OtlpExporterOptions options, string signalPath)
    {
        options.Endpoint = new Uri(_collector.Endpoint, signalPath);
        options.Protocol = OtlpExportProtocol.HttpProtobuf;
        options.ExportProcessorType = ExportProcessorType.Simple;
    }
}
