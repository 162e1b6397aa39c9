using System.Diagnostics.Metrics;
using Orchestrator.Contracts;

namespace Orchestrator.Agents;

/// <summary>
/// The <c>orchestrator.task.duration</c> histogram: how long each task attempt took on an agent, by role and outcome,
/// on the <c>Orchestrator</c> meter that ServiceDefaults exports (docs/architecture.md, Observability).
/// </summary>
public sealed class AgentTaskMetrics
{
    public const string MeterName = "Orchestrator";
    public const string DurationName = "orchestrator.task.duration";

    /// <summary>Tasks take seconds to many minutes, not the milliseconds of the default buckets.</summary>
    private static readonly double[] BucketBoundaries = [1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600];

    private readonly Histogram<double> _duration;

    public AgentTaskMetrics(IMeterFactory meters)
    {
        _duration = meters.Create(MeterName).CreateHistogram<double>(
            DurationName, unit: "s", description: "Duration of agent task attempts, by role and outcome (completed, failed, cancelled).",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = BucketBoundaries });
    }

    public void Record(AgentRole role, AgentTaskOutcome outcome, TimeSpan duration) =>
        _duration.Record(duration.TotalSeconds, new("role", role.Name), new("outcome", OutcomeTag(outcome)));

    private static string OutcomeTag(AgentTaskOutcome outcome) => outcome switch
    {
        AgentTaskOutcome.Completed => "completed",
        AgentTaskOutcome.Cancelled => "cancelled",
        _ => "failed",
    };
}

/// <summary>How a task attempt ended on the agent.</summary>
public enum AgentTaskOutcome
{
    Completed,
    Failed,
    Cancelled,
}
