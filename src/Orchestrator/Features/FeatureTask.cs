using Orchestrator.Contracts;

namespace Orchestrator.Features;

/// <summary>One task of a feature's plan and how it is going (kept in the saga's state).</summary>
public sealed class FeatureTask
{
    public string TaskId { get; set; } = string.Empty;
    public AgentRole Role { get; set; }
    public TaskKind Kind { get; set; } = TaskKind.Work;
    public string Title { get; set; } = string.Empty;
    public string Instructions { get; set; } = string.Empty;
    public List<string> DependsOn { get; set; } = [];

    public FeatureTaskState State { get; set; }
    public int Attempts { get; set; }
    public string? Branch { get; set; }
    public string? Commit { get; set; }
    public string? Summary { get; set; }
    public List<string> ChangedFiles { get; set; } = [];
    public string? FailureReason { get; set; }
    public TokenUsage Usage { get; set; } = TokenUsage.None;

    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public DateTimeOffset? Deadline { get; set; }

    /// <summary>Not finished yet: waiting for its dependencies or being worked on.</summary>
    public bool IsOpen => State is FeatureTaskState.Pending or FeatureTaskState.Running;

    /// <summary>A new attempt begins: it runs on <paramref name="branch"/> until <paramref name="deadline"/>.</summary>
    public void StartAttempt(string branch, DateTimeOffset now, DateTimeOffset deadline)
    {
        State = FeatureTaskState.Running;
        Attempts++;
        Branch = branch;
        StartedAt = now;
        Deadline = deadline;
        FailureReason = null;
    }

    public void Complete(TaskCompleted result, DateTimeOffset now)
    {
        State = FeatureTaskState.Completed;
        Branch = result.Branch;
        Commit = result.Commit;
        Summary = result.Summary;
        ChangedFiles = [.. result.ChangedFiles];
        Usage += result.Usage;
        FinishedAt = now;
        Deadline = null;
    }

    /// <summary>The task will not run again: its final state, why, when; no deadline left to watch.</summary>
    public void End(FeatureTaskState state, string reason, DateTimeOffset now)
    {
        State = state;
        FailureReason = reason;
        Deadline = null;
        FinishedAt = now;
    }

    /// <summary>How long the task took (or has taken so far), measured from its last attempt's start.</summary>
    public TimeSpan Duration(DateTimeOffset now) => (FinishedAt ?? StartedAt ?? now) - (StartedAt ?? now);
}

public enum FeatureTaskState
{
    Pending,
    Running,
    Completed,
    Failed,
    Cancelled,
}
