using System.Globalization;

namespace Orchestrator.Bench.Orchestration;

/// <summary>The command line: every figure's size is configurable; <c>--quick</c> shortens everything.</summary>
internal sealed record BenchOptions(
    bool Quick,
    bool Demo,
    string DemoLabel,
    bool ReportOnly,
    bool Build,
    int TaskLatencyMs,
    int ThroughputTaskLatencyMs,
    int ThroughputSeconds,
    int OverheadFeatures,
    int GitFeatures,
    int SpeedupFeatures,
    int InFlight,
    int MemoryFeatures,
    int AgentConcurrency,
    IReadOnlyList<string> Stores)
{
    public const string Usage = """
        dotnet run -c Release --project bench/Orchestrator.Bench.Orchestration -- [--quick] [options]
          --quick                 a short run (seconds, not minutes) that still measures every figure
          --demo [--label L]      only the real demo feature (scripted model, real builds) through ./run.sh
          --latency-ms N          each simulated task's latency (overhead and speedup; default 200)
          --throughput-latency-ms N   each simulated task's latency in the throughput runs (default 20)
          --seconds N             how long each throughput run submits (default 60)
          --features N            features for the overhead figure, git excluded (default 300)
          --git-features N        features for the overhead figure, git included (default 40)
          --in-flight N           features in flight at most during throughput runs (default 200)
          --memory-features N     features in flight for the memory figure (default 1000)
          --stores sqlite,postgres    the state stores to measure (default both)
          --speedup-features N    features per side of the speedup figure (default 10)
          --agent-concurrency N   tasks each simulated agent replica takes at once in the throughput runs (default 64)
          --no-build              use the services as last built (dotnet build -c <configuration>)
          --report-only           measure nothing: redraw the charts and docs/performance.md from today's results file
        """;

    private static readonly string[] Flags = ["--quick", "--demo", "--no-build", "--report-only"];

    private static readonly string[] Valued =
    [
        "--label", "--latency-ms", "--throughput-latency-ms", "--seconds", "--features", "--git-features", "--speedup-features",
        "--in-flight", "--memory-features", "--agent-concurrency", "--stores",
    ];

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (Valued.Contains(args[i]))
            {
                i++;
            }
            else if (!Flags.Contains(args[i]))
            {
                throw new ArgumentException($"unknown option '{args[i]}' (try --help)");
            }
        }

        var quick = args.Contains("--quick");
        return new BenchOptions(
            quick,
            args.Contains("--demo"),
            Text(args, "--label") ?? "latest",
            args.Contains("--report-only"),
            !args.Contains("--no-build"),
            Number(args, "--latency-ms", quick ? 100 : 200),
            Number(args, "--throughput-latency-ms", 20),
            Number(args, "--seconds", quick ? 10 : 60),
            Number(args, "--features", quick ? 40 : 300),
            Number(args, "--git-features", quick ? 8 : 40),
            Number(args, "--speedup-features", quick ? 3 : 10),
            Number(args, "--in-flight", 200),
            Number(args, "--memory-features", 1000),
            Number(args, "--agent-concurrency", 64),
            (Text(args, "--stores") ?? "sqlite,postgres").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static string? Text(IReadOnlyList<string> args, string name)
    {
        var index = args.ToList().IndexOf(name);
        return index >= 0 && index + 1 < args.Count ? args[index + 1] : null;
    }

    private static int Number(IReadOnlyList<string> args, string name, int fallback) =>
        Text(args, name) is { } text
            ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : throw new ArgumentException($"{name} must be a positive whole number (got '{text}').")
            : fallback;
}
