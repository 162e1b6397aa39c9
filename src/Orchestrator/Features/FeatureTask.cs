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

    /// <summary>The files the plan says the task should touch; the agent is told, and reads the nearest AGENTS.md to them.</summary>
    public List<string> Files { get; set; } = [];

    /// <summary>The repository's instruction files the agent reported it was given.</summary>
    public List<string> InstructionFiles { get; set; } = [];

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

    /// <summary>The agent instance running the current attempt (<c>coder@&lt;machine&gt;/&lt;pid&gt;</c>); null while queued.</summary>
    public string? Instance { get; set; }

    /// <summary>
    /// When the orchestrator last heard from <see cref="Instance"/> (its start or a heartbeat), by the orchestrator's
    /// clock, so another machine's clock cannot make a task look lost.
    /// </summary>
    public DateTimeOffset? LastSeen { get; set; }

    /// <summary>Why each earlier attempt of this task failed, oldest first (<c>attempt 1: lost: no heartbeat ...</c>).</summary>
    public List<string> EarlierFailures { get; set; } = [];

    /// <summary>Why the current attempt is given up when its instance went silent.</summary>
    public string LostReason => $"lost: no heartbeat from {Instance} since {LastSeen:u}";

    /// <summary>Not finished yet: waiting for its dependencies, in a queue, or being worked on.</summary>
    public bool IsOpen => State is FeatureTaskState.Pending or FeatureTaskState.Queued or FeatureTaskState.Running;

    /// <summary>An attempt is out: sent to its agent's queue and not yet answered.</summary>
    public bool IsDispatched => State is FeatureTaskState.Queued or FeatureTaskState.Running;

    /// <summary>
    /// A new attempt is sent to its agent's queue: it is queued until an instance takes it, and runs on
    /// <paramref name="branch"/> until <paramref name="deadline"/>.
    /// </summary>
    public void StartAttempt(string branch, DateTimeOffset now, DateTimeOffset deadline)
    {
        if (Attempts > 0 && FailureReason is not null)
        {
            EarlierFailures.Add($"attempt {Attempts}: {FailureReason}");
        }

        State = FeatureTaskState.Queued;
        Attempts++;
        Branch = branch;
        StartedAt = now;
        Deadline = deadline;
        FailureReason = null;
        Instance = null;
        LastSeen = null;
    }

    /// <summary>
    /// <paramref name="instance"/> reported that it works on the current attempt (it took it, or it is still alive): the
    /// task runs there, and was last seen <paramref name="now"/>.
    /// </summary>
    public void SeenRunning(string instance, DateTimeOffset now)
    {
        State = FeatureTaskState.Running;
        Instance = instance;
        LastSeen = now;
    }

    public void Complete(TaskCompleted result, DateTimeOffset now)
    {
        State = FeatureTaskState.Completed;
        Branch = result.Branch;
        Commit = result.Commit;
        Summary = result.Summary;
        ChangedFiles = [.. result.ChangedFiles];
        InstructionFiles = [.. result.InstructionFiles ?? []];
        Usage += result.Usage;
        FinishedAt = now;
        Deadline = null;
    }

    /// <summary>A task that pushes no branch (a review) is done: its answer summed up in <paramref name="summary"/>.</summary>
    public void Finish(string summary, TokenUsage usage, DateTimeOffset now)
    {
        State = FeatureTaskState.Completed;
        Summary = summary;
        Usage += usage;
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

    /// <summary>
    /// Held after its attempt ended without a result (the budget ran out), the task waits to be dispatched again; its
    /// failure is kept, and becomes an earlier failure when the next attempt starts.
    /// </summary>
    public void WaitAgain()
    {
        State = FeatureTaskState.Pending;
        FinishedAt = null;
        Deadline = null;
    }

    /// <summary>How long the task took (or has taken so far), measured from its last attempt's start.</summary>
    public TimeSpan Duration(DateTimeOffset now) => (FinishedAt ?? StartedAt ?? now) - (StartedAt ?? now);
}

/// <summary>Where a task is. Stored by name (not number) in the state store and shown by name in the API.</summary>
public enum FeatureTaskState
{
    /// <summary>Waiting for the tasks it depends on.</summary>
    Pending,

    /// <summary>Sent to its agent's queue; no instance has taken it yet.</summary>
    Queued,

    /// <summary>An agent instance works on it and sends heartbeats.</summary>
    Running,
    Completed,
    Failed,
    Cancelled,
}
