namespace Orchestrator.Cli.Commands;

/// <summary>How <see cref="FeatureWatcher"/> polls and reports.</summary>
internal sealed record WatchOptions(TimeSpan Interval, TimeSpan? Timeout, bool SummaryJson)
{
    public const int DefaultIntervalMs = 1000;
}
