using Orchestrator.Testing.Telemetry;
using Orchestrator.Tests.Support;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// What the shared system's services exported to the test's OTLP collector about one feature: its trace, and the
/// dashboard metrics. Exports run every fraction of a second, so each check polls up to a deadline.
/// </summary>
internal static class FeatureTelemetry
{
    private static readonly TimeSpan ExportTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Asserts that the feature is one trace: the spans naming the feature (agents' tasks, the consolidation, the
    /// saga's messages) share one trace id, whose root is the orchestrator's <c>POST /features</c> request, and it
    /// holds spans from every service. Returns the trace id.
    /// </summary>
    public static async Task<string> AssertOneTraceAsync(OtlpCollector telemetry, string featureId, IReadOnlyList<string> services)
    {
        IReadOnlyList<CollectedSpan> trace = [];
        string? traceId = null;
        var complete = await PollAsync(() =>
        {
            var named = telemetry.Spans.Where(s => Names(s, featureId)).ToList();
            traceId = named.Select(s => s.TraceId).Distinct().Count() == 1 ? named[0].TraceId : null;
            trace = traceId is null ? [] : telemetry.Spans.Where(s => s.TraceId == traceId).ToList();
            return services.All(service => trace.Any(s => s.Service == service));
        });

        var naming = telemetry.Spans.Where(s => Names(s, featureId)).ToList();
        Assert.True(naming.Count > 0, $"no span names feature {featureId}; spans received: {telemetry.Spans.Count}, rejected requests: {telemetry.RejectedRequests}");
        var traces = naming.GroupBy(s => s.TraceId).Select(g => $"{g.Key}: {string.Join(", ", g.Select(s => $"{s.Service}/{s.Name}").Distinct())}");
        Assert.True(traceId is not null, $"the spans of feature {featureId} are in more than one trace:\n{string.Join("\n", traces)}");
        Assert.True(complete, $"trace {traceId} lacks spans from {string.Join(", ", services.Where(service => trace.All(s => s.Service != service)))}");

        var root = Assert.Single(trace, s => s.ParentSpanId is null);
        Assert.Equal("orchestrator", root.Service);
        Assert.Matches("^POST /features/?$", root.Name);
        return traceId!;
    }

    /// <summary>
    /// Asserts that each dashboard metric reached the collector with its tags: a completed feature, a coder task, a
    /// model's tokens (labelled as scripted here), the coder queue's depth.
    /// </summary>
    public static async Task AssertDashboardMetricsAsync(OtlpCollector telemetry, string model)
    {
        (string Metric, string Service, Func<CollectedMetricPoint, bool> Matches)[] expected =
        [
            ("orchestrator.features", "orchestrator", p => Tag(p, "state") == "Completed" && p.Value >= 1),
            ("orchestrator.task.duration", "coder", p => Tag(p, "role") == "coder" && Tag(p, "outcome") == "completed" && p.Value >= 1),
            ("orchestrator.tokens", "coder", p => Tag(p, "model") == model && Tag(p, "direction") is "input" or "output" && p.Value > 0),
            ("orchestrator.queue.depth", "orchestrator", p => Tag(p, "queue") == "coder" && p.Value >= 0),
        ];

        bool Received((string Metric, string Service, Func<CollectedMetricPoint, bool> Matches) metric) =>
            telemetry.MetricPoints.Any(p => p.Metric == metric.Metric && p.Service == metric.Service && metric.Matches(p));

        await PollAsync(() => expected.All(Received));
        foreach (var metric in expected)
        {
            var seen = telemetry.MetricPoints.Where(p => p.Metric == metric.Metric)
                .Select(p => $"{p.Service} {string.Join(",", p.Attributes.Select(a => $"{a.Key}={a.Value}"))} = {p.Value}").Distinct().Take(20);
            Assert.True(Received(metric), $"{metric.Metric} from {metric.Service} with the expected tags was not received; received:\n{string.Join("\n", seen)}");
        }
    }

    // A span names the feature when one of its attributes is the feature's id (ours, or MassTransit's correlation ids).
    private static bool Names(CollectedSpan span, string featureId) =>
        span.Attributes.Values.Any(v => string.Equals(v, featureId, StringComparison.OrdinalIgnoreCase));

    private static string? Tag(CollectedMetricPoint point, string key) => point.Attributes.GetValueOrDefault(key);

    private static Task<bool> PollAsync(Func<bool> done) => Eventually.TrueAsync(() => Task.FromResult(done()), ExportTimeout);
}
