using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Bench.Orchestration;

/// <summary>What <c>bench/results/&lt;date&gt;.json</c> holds: one run of the benchmark, every figure with its target.</summary>
internal sealed record BenchResults(
    DateTimeOffset MeasuredAt,
    MachineInfo Machine,
    BenchSettings Settings,
    IReadOnlyList<OverheadResult> Overhead,
    SpeedupResult? Speedup,
    IReadOnlyList<ThroughputResult> Throughput,
    IReadOnlyList<MemoryResult> Memory,
    IReadOnlyList<DemoResult> Demo,
    IReadOnlyList<string> NotMeasured)
{
    public string Benchmark => "orchestration";

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static BenchResults? FromJson(string json) => JsonSerializer.Deserialize<BenchResults>(json, JsonOptions);
}

internal sealed record MachineInfo(int Cores, long MemoryMegabytes, string Os, string Dotnet, double LoadAverageAtStart)
{
    /// <summary>Something else was using the machine when the run began (one-minute load average of 1 or more).</summary>
    public bool UnderLoad => LoadAverageAtStart >= 1.0;
}

internal sealed record BenchSettings(
    bool Quick, int TaskLatencyMs, int ThroughputTaskLatencyMs, int ThroughputSeconds, int InFlight, int AgentConcurrency, string Orchestrator);

/// <summary>Per feature: end-to-end time, its critical path (the simulated agents' own time) and their difference.</summary>
internal sealed record OverheadResult(
    string Git, string Store, string Plan, int Features, int Failed,
    LatencySummary EndToEndMs, LatencySummary CriticalPathMs, LatencySummary OverheadMs)
{
    public const double TargetP50Ms = 15;

    /// <summary>Where the overhead went (medians), for whoever makes it smaller.</summary>
    public OverheadPhaseMedians? PhaseMediansMs { get; init; }
    public const double TargetP99Ms = 100;
}

/// <summary>The same three-task plan, all at once and one at a time, against <c>Task.WhenAll</c> with no broker.</summary>
internal sealed record SpeedupResult(
    int TaskLatencyMs, int Features, double ParallelMs, double SequentialMs, double WhenAllMs, double InProcessSequentialMs)
{
    public const double Target = 2.9;

    /// <summary>One at a time over all at once, through the whole system (3× is the limit).</summary>
    public double Speedup => Math.Round(SequentialMs / ParallelMs, 3);

    /// <summary>The same ratio in-process: what the machine's timers allow.</summary>
    public double BaselineSpeedup => Math.Round(InProcessSequentialMs / WhenAllMs, 3);

    /// <summary>How much longer the system's parallel run takes than <c>Task.WhenAll</c> of the same three waits.</summary>
    public double ParallelOverWhenAll => Math.Round(ParallelMs / WhenAllMs, 3);
}

internal sealed record ThroughputResult(
    string Store, int Replicas, int Orchestrators, double Seconds, int Submitted, int Completed, int Failed,
    double FeaturesPerSecond, double RampSeconds, LatencySummary EndToEndMs)
{
    public const double Target = 100;
}

internal static class SustainedRate
{
    /// <summary>
    /// Features per second once the pipeline is full: the features that ended after the first one and within the
    /// window, over the time from that first end to the window's end. The ramp (submit to first end, when nothing can
    /// have ended yet) is left out, and so are the features that ended while the last ones drained after the window.
    /// </summary>
    public static (double FeaturesPerSecond, double RampSeconds) Of(IReadOnlyList<double> endSeconds, double windowSeconds)
    {
        var inWindow = endSeconds.Where(s => s <= windowSeconds).Order().ToList();
        if (inWindow.Count < 2)
        {
            return (0, inWindow.Count == 1 ? inWindow[0] : windowSeconds);
        }

        var ramp = inWindow[0];
        return ((inWindow.Count - 1) / (windowSeconds - ramp), ramp);
    }
}

/// <summary>Resident memory (VmRSS) of one service process; <c>null</c> where a state was not measured.</summary>
internal sealed record MemoryResult(string Service, string Kind, double? IdleMegabytes, double? LoadedMegabytes, int FeaturesInFlight)
{
    public const double AgentIdleTargetMegabytes = 150;
}

internal sealed record DemoResult(string Label, DateTimeOffset MeasuredAt, string State, double SubmitToPullRequestSeconds)
{
    /// <summary>The machine's one-minute load average as the demo began: the demo is a real build, so load shows.</summary>
    public double? LoadAverageAtStart { get; init; }

    /// <summary>Each service's highest resident memory while the demo ran (sampled every 0.5 s), in megabytes.</summary>
    public IReadOnlyDictionary<string, double>? PeakResidentMegabytes { get; init; }

    public const double TargetSeconds = 25;
}
