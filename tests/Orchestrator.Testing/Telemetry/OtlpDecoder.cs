using System.Globalization;
using Google.Protobuf;

namespace Orchestrator.Testing.Telemetry;

/// <summary>A span as the collector received it: which service sent it, its ids (lower-case hex), name and attributes.</summary>
public sealed record CollectedSpan(
    string Service, string TraceId, string SpanId, string? ParentSpanId, string Name, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// One data point of a metric as the collector received it; <see cref="Value"/> is a gauge's or sum's value, or a
/// histogram's count.
/// </summary>
public sealed record CollectedMetricPoint(string Service, string Metric, IReadOnlyDictionary<string, string> Attributes, double? Value);

/// <summary>
/// Reads the few fields the tests need out of OTLP's protobuf requests (opentelemetry-proto's
/// <c>ExportTraceServiceRequest</c> and <c>ExportMetricsServiceRequest</c>) with <see cref="CodedInputStream"/>,
/// skipping everything else, so no generated code is needed.
/// </summary>
public static class OtlpDecoder
{
    public static IReadOnlyList<CollectedSpan> DecodeTraces(byte[] request)
    {
        var spans = new List<CollectedSpan>();
        // ExportTraceServiceRequest.resource_spans = 1; ResourceSpans.resource = 1, .scope_spans = 2; ScopeSpans.spans = 2.
        foreach (var resourceSpans in Messages(request, 1))
        {
            var service = ServiceName(resourceSpans);
            spans.AddRange(Messages(resourceSpans, 2).SelectMany(scope => Messages(scope, 2)).Select(span => Span(service, span)));
        }

        return spans;
    }

    public static IReadOnlyList<CollectedMetricPoint> DecodeMetrics(byte[] request)
    {
        var points = new List<CollectedMetricPoint>();
        // ExportMetricsServiceRequest.resource_metrics = 1; ResourceMetrics.resource = 1, .scope_metrics = 2; ScopeMetrics.metrics = 2.
        foreach (var resourceMetrics in Messages(request, 1))
        {
            var service = ServiceName(resourceMetrics);
            foreach (var metric in Messages(resourceMetrics, 2).SelectMany(scope => Messages(scope, 2)))
            {
                points.AddRange(MetricPoints(service, metric));
            }
        }

        return points;
    }

    private static CollectedSpan Span(string service, byte[] span)
    {
        string traceId = "", spanId = "", name = "";
        string? parent = null;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var input = new CodedInputStream(span);
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: traceId = Hex(input.ReadBytes()); break;
                case 2: spanId = Hex(input.ReadBytes()); break;
                case 4: parent = input.ReadBytes() is { Length: > 0 } bytes ? Hex(bytes) : null; break;
                case 5: name = input.ReadString(); break;
                case 9: AddAttribute(attributes, input.ReadBytes().ToByteArray()); break;
                default: input.SkipLastField(); break;
            }
        }

        return new CollectedSpan(service, traceId, spanId, parent, name, attributes);
    }

    // Metric.name = 1; data: gauge = 5, sum = 7, histogram = 9, exponential_histogram = 10, summary = 11, each with data_points = 1.
    private static IEnumerable<CollectedMetricPoint> MetricPoints(string service, byte[] metric)
    {
        var name = "";
        var data = new List<(int Kind, byte[] Bytes)>();
        var input = new CodedInputStream(metric);
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            var field = WireFormat.GetTagFieldNumber(tag);
            if (field == 1)
            {
                name = input.ReadString();
            }
            else if (field is 5 or 7 or 9 or 10 or 11)
            {
                data.Add((field, input.ReadBytes().ToByteArray()));
            }
            else
            {
                input.SkipLastField();
            }
        }

        return data.SelectMany(d => Messages(d.Bytes, 1).Select(point => Point(service, name, d.Kind, point))).ToList();
    }

    // Attributes: NumberDataPoint and SummaryDataPoint 7, HistogramDataPoint 9, ExponentialHistogramDataPoint 1.
    // Values: NumberDataPoint as_double = 4 (double), as_int = 6 (sfixed64); the histograms' count = 4 (fixed64).
    private static CollectedMetricPoint Point(string service, string metric, int kind, byte[] point)
    {
        var attributeField = kind switch { 9 => 9, 10 => 1, _ => 7 };
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        double? value = null;
        var input = new CodedInputStream(point);
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            var field = WireFormat.GetTagFieldNumber(tag);
            if (field == attributeField)
            {
                AddAttribute(attributes, input.ReadBytes().ToByteArray());
            }
            else if (kind is 5 or 7 && field == 4)
            {
                value = input.ReadDouble();
            }
            else if (kind is 5 or 7 && field == 6)
            {
                value = input.ReadSFixed64();
            }
            else if (kind is 9 or 10 && field == 4)
            {
                value = input.ReadFixed64();
            }
            else
            {
                input.SkipLastField();
            }
        }

        return new CollectedMetricPoint(service, metric, attributes, value);
    }

    // Resource.attributes = 1; the service is its service.name.
    private static string ServiceName(byte[] resourceScoped)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in Messages(resourceScoped, 1))
        {
            foreach (var attribute in Messages(resource, 1))
            {
                AddAttribute(attributes, attribute);
            }
        }

        return attributes.GetValueOrDefault("service.name", "");
    }

    // KeyValue.key = 1, .value = 2 (AnyValue: string 1, bool 2, int 3, double 4; arrays, lists and bytes are skipped).
    private static void AddAttribute(Dictionary<string, string> attributes, byte[] keyValue)
    {
        string? key = null, value = null;
        var input = new CodedInputStream(keyValue);
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: key = input.ReadString(); break;
                case 2: value = AnyValue(input.ReadBytes().ToByteArray()); break;
                default: input.SkipLastField(); break;
            }
        }

        if (key is not null && value is not null)
        {
            attributes[key] = value;
        }
    }

    private static string? AnyValue(byte[] anyValue)
    {
        string? value = null;
        var input = new CodedInputStream(anyValue);
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: value = input.ReadString(); break;
                case 2: value = input.ReadBool() ? "true" : "false"; break;
                case 3: value = input.ReadInt64().ToString(CultureInfo.InvariantCulture); break;
                case 4: value = input.ReadDouble().ToString("R", CultureInfo.InvariantCulture); break;
                default: input.SkipLastField(); break;
            }
        }

        return value;
    }

    /// <summary>The embedded messages (length-delimited) of field <paramref name="field"/>, in order.</summary>
    private static List<byte[]> Messages(byte[] message, int field)
    {
        var found = new List<byte[]>();
        var input = new CodedInputStream(message);
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                found.Add(input.ReadBytes().ToByteArray());
            }
            else
            {
                input.SkipLastField();
            }
        }

        return found;
    }

    private static string Hex(ByteString bytes) => Convert.ToHexStringLower(bytes.Span);
}
