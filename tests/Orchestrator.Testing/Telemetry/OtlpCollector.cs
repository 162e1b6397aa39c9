using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Testing.Telemetry;

/// <summary>
/// An OTLP receiver for tests: HTTP/protobuf on 127.0.0.1 (a free port), <c>POST /v1/traces</c> and
/// <c>POST /v1/metrics</c>, keeping every span and metric point it is sent in memory (<see cref="OtlpDecoder"/>).
/// Point a service at it with <see cref="Environment"/>.
/// </summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<CollectedSpan> _spans = [];
    private readonly List<CollectedMetricPoint> _points = [];

    private OtlpCollector(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The collector's root, e.g. <c>http://127.0.0.1:49152/</c>: the OTLP endpoint of an exporter.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Requests that could not be decoded (answered 400), so a test can tell a wire problem from no data.</summary>
    public int RejectedRequests { get; private set; }

    public IReadOnlyList<CollectedSpan> Spans
    {
        get
        {
            lock (_gate)
            {
                return [.. _spans];
            }
        }
    }

    public IReadOnlyList<CollectedMetricPoint> MetricPoints
    {
        get
        {
            lock (_gate)
            {
                return [.. _points];
            }
        }
    }

    /// <summary>
    /// What a service's environment needs to export here, often: OTLP over HTTP/protobuf, batches every 200 ms, metrics
    /// every second (OpenTelemetry's environment variables, read by ServiceDefaults' <c>UseOtlpExporter</c>).
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
    };

    public static async Task<OtlpCollector> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(OtlpCollector).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var collector = new OtlpCollector(app);
        app.MapPost("/v1/traces", http => collector.ReceiveAsync(http, body => collector.Add(OtlpDecoder.DecodeTraces(body), [])));
        app.MapPost("/v1/metrics", http => collector.ReceiveAsync(http, body => collector.Add([], OtlpDecoder.DecodeMetrics(body))));
        // Logs are not kept, but answered, so an exporter sending them does not retry.
        app.MapPost("/v1/logs", http => collector.ReceiveAsync(http, _ => { }));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        collector.Endpoint = new Uri(address.TrimEnd('/') + "/");
        return collector;
    }

    private async Task ReceiveAsync(HttpContext http, Action<byte[]> keep)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        try
        {
            keep(body.ToArray());
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            lock (_gate)
            {
                RejectedRequests++;
            }

            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        // An empty Export*ServiceResponse: full success.
        http.Response.ContentType = "application/x-protobuf";
        http.Response.StatusCode = StatusCodes.Status200OK;
    }

    private void Add(IReadOnlyList<CollectedSpan> spans, IReadOnlyList<CollectedMetricPoint> points)
    {
        lock (_gate)
        {
            _spans.AddRange(spans);
            _points.AddRange(points);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }
}
