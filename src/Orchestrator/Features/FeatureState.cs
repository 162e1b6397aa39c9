using MassTransit;
using Orchestrator.Contracts;

namespace Orchestrator.Features;

/// <summary>The saga instance of one feature: everything <c>GET /features/{id}</c> shows, kept in the state store.</summary>
public sealed class FeatureState : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }
    public int Version { get; set; }
    public string CurrentState { get; set; } = string.Empty;

    public string Repository { get; set; } = string.Empty;
    public string BaseBranch { get; set; } = string.Empty;
    public string Request { get; set; } = string.Empty;
    public ModelSelection Model { get; set; } = new(null, string.Empty);

    /// <summary>Where the agents clone from and push to (a staging repository, or <see cref="Repository"/> itself).</summary>
    public string? WorkRepository { get; set; }

    public string? Title { get; set; }
    public string? Summary { get; set; }
    public string? Interface { get; set; }
    public List<FeatureTask> Tasks { get; set; } = [];

    public TokenUsage Usage { get; set; } = TokenUsage.None;

    /// <summary>Most tokens the feature may spend; each dispatched task gets a share of what remains.</summary>
    public long TokenBudget { get; set; }

    public string? FailureReason { get; set; }
    public PullRequestInfo? PullRequest { get; set; }
    public VerificationResult? Verification { get; set; }

    /// <summary>The issue the feature resolves, if the request named one.</summary>
    public int? Issue { get; set; }

    /// <summary>Rounds of conflict resolution and of verification fixes so far (each bounded by the options).</summary>
    public int ConflictRounds { get; set; }
    public int FixRounds { get; set; }

    /// <summary>The files of the last merge conflict, for the failure reason when it cannot be resolved.</summary>
    public List<string> ConflictingFiles { get; set; } = [];

    public DateTimeOffset SubmittedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When the current stage (planning, consolidation) must have ended; watched by the deadline monitor.</summary>
    public DateTimeOffset? StageDeadline { get; set; }

    /// <summary>The branch the pull request is opened from.</summary>
    public string FeatureBranch => $"orchestrator/{CorrelationId:N}";

    /// <summary>
    /// A task's branch. Not under <see cref="FeatureBranch"/>: git cannot hold both <c>a/b</c> and <c>a/b/c</c>
    /// (see docs/decisions/0003-branch-names.md).
    /// </summary>
    public string TaskBranch(string taskId) => $"orchestrator/tasks/{CorrelationId:N}/{taskId}";

    public FeatureTask? FindTask(string taskId) => Tasks.Find(t => t.TaskId == taskId);
}

/// <summary>One task of a feature's plan and how it is going.</summary>
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
}

public enum FeatureTaskState
{
    Pending,
    Running,
    Completed,
    Failed,
    Cancelled,
}
