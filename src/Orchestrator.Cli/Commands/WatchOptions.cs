namespace Orchestrator.Cli.Commands;

/// <summary>How <see cref="FeatureWatcher"/> polls and reports.</summary>
internal sealed record WatchOptions(TimeSpan Interval, TimeSpan? Timeout, bool SummaryJson)
{
    public const string SummaryJsonOption = "--summary-json";
    public const string IntervalOption = "--interval-ms";
    public const string TimeoutOption = "--timeout";
    public const int DefaultIntervalMs = 1000;
}
