using System.Text.Json.Serialization;
using MassTransit;
using Orchestrator.Contracts;
using Orchestrator.Features;
using Orchestrator.Messaging;

namespace Orchestrator.StateMachines;

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

    /// <summary>
    /// The staging repository's key (null without staging): each dispatch derives the attempt's credential from it.
    /// A secret of this feature: never part of what the API shows.
    /// </summary>
    public string? StagingKey { get; set; }

    public string? Title { get; set; }
    public string? Summary { get; set; }
    public string? Interface { get; set; }
    public List<FeatureTask> Tasks { get; set; } = [];

    /// <summary>The repository's instruction files the planner was given.</summary>
    public List<string> InstructionFiles { get; set; } = [];

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

    /// <summary>Whether the plan waits for approval before any task is dispatched (FeatureStateMachine.Approval.cs).</summary>
    public bool RequiresPlanApproval { get; set; }

    /// <summary>While the feature waits for a larger budget: the reason it would have failed with.</summary>
    public string? BudgetShortfall { get; set; }

    /// <summary>The ids of the follow-up requests taken (a request delivered again adds no second task).</summary>
    public List<string> FollowUps { get; set; } = [];

    /// <summary>The tasks whose work the pull request's branch holds; empty before the first pull request.</summary>
    public List<string> MergedTasks { get; set; } = [];

    /// <summary>The commit the pull request's branch was pushed at, where a follow-up round continues from.</summary>
    public string? PullRequestHead { get; set; }

    /// <summary>Whether the Reviewer reviews the verified result before the pull request opens (FeatureStateMachine.Review.cs).</summary>
    public bool ReviewEnabled { get; set; }

    /// <summary>The review so far; null before the first.</summary>
    public FeatureReview? Review { get; set; }

    /// <summary>The current (or last) consolidation round; null before the first.</summary>
    public ConsolidationRound? Consolidation { get; set; }

    /// <summary>The task graph and its rules, over <see cref="Tasks"/>.</summary>
    [JsonIgnore]
    public FeaturePlan Plan => new(Tasks);

    /// <summary>The branch the pull request is opened from.</summary>
    public string FeatureBranch => $"orchestrator/{CorrelationId:N}";

    /// <summary>
    /// A task's branch. Not under <see cref="FeatureBranch"/>: git cannot hold both <c>a/b</c> and <c>a/b/c</c>
    /// (see docs/decisions/0003-branch-names.md).
    /// </summary>
    public string TaskBranch(string taskId) => $"orchestrator/tasks/{CorrelationId:N}/{taskId}";

    public FeatureTask? FindTask(string taskId) => Plan.Find(taskId);

    /// <summary>Everything the agent needs for the task's current attempt.</summary>
    public TaskAssignment AssignmentFor(FeatureTask task, long tokenBudget, TimeSpan heartbeatInterval) =>
        new(CorrelationId, task.TaskId, task.Attempts, task.Role, WorkRepository ?? Repository, BaseBranch, task.Branch!,
            Request, task.Title, task.Instructions, Interface, BranchesUnder(task), Model, task.Deadline!.Value)
        {
            Kind = task.Kind,
            TokenBudget = tokenBudget,
            StagingCredential = StagingKey is null ? null : StagingCredentials.ForTask(StagingKey, CorrelationId, task.TaskId, task.Attempts),
            HeartbeatInterval = heartbeatInterval,
            Files = [.. task.Files],
        };

    /// <summary>
    /// What the planner needs: the request, and the prepared work repository whose base branch it reads (with a
    /// read-only credential when it is a staging repository).
    /// </summary>
    public PlanFeature PlanRequest() => new(CorrelationId, Repository, BaseBranch, Request, Model)
    {
        WorkRepository = WorkRepository,
        ReadCredential = StagingKey is null ? null : StagingCredentials.ForReader(StagingKey, CorrelationId),
    };

    /// <summary>Every instruction file the planner and the agents were given, each once, in path order.</summary>
    public IReadOnlyList<string> InstructionFilesUsed() =>
        [.. InstructionFiles.Concat(Tasks.SelectMany(t => t.InstructionFiles)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>
    /// The branches a task merges before it starts: its dependencies'. Once the feature has a pull request, its branch
    /// comes first and stands for the tasks it holds, so follow-up work builds on what the reviewer saw.
    /// </summary>
    public IReadOnlyList<string> BranchesUnder(FeatureTask task)
    {
        var branches = Plan.DependencyBranches(task);
        if (MergedTasks.Count == 0)
        {
            return branches;
        }

        var merged = MergedTasks.Select(TaskBranch).ToHashSet(StringComparer.Ordinal);
        return [FeatureBranch, .. branches.Where(b => !merged.Contains(b))];
    }

    /// <summary>
    /// What the Reviewer needs for the review task's current attempt: the verified commit, the plan, and a credential
    /// that reads the staging repository and may push nothing (the reviewer never pushes).
    /// </summary>
    public ReviewFeature ReviewRequest(FeatureTask review, long tokenBudget, TimeSpan heartbeatInterval) => new(
        AssignmentFor(review, tokenBudget, heartbeatInterval) with
        {
            DependencyBranches = [],
            StagingCredential = StagingKey is null ? null : StagingCredentials.ForReader(StagingKey, CorrelationId),
        },
        Review?.Verification?.Commit ?? throw new InvalidOperationException("No verified commit to review."),
        Title ?? Request,
        Summary ?? string.Empty,
        Plan.InDependencyOrder().Select(t => $"{t.TaskId} ({t.Role}): {t.Title}").ToList());

    /// <summary>What the merge service needs to fan the task branches in and open the pull request.</summary>
    public ConsolidateFeature ConsolidationRequest(string? cost, TimeSpan heartbeatInterval) => new(
        CorrelationId,
        Repository,
        BaseBranch,
        FeatureBranch,
        Title ?? Request,
        Summary ?? string.Empty,
        Request,
        Plan.InDependencyOrder().Select(t => new TaskBranch(
            t.TaskId, t.Role, t.Title, t.Branch!, t.Commit!, t.Summary ?? string.Empty, t.DependsOn, t.Attempts, t.Usage,
            t.Duration(UpdatedAt))).ToList(),
        Model,
        Usage)
    {
        Issue = Issue,
        WorkRepository = WorkRepository,
        Cost = cost,
        HeartbeatInterval = heartbeatInterval,
        StartFrom = MergedTasks.Count > 0 ? PullRequestHead : null,
        AlreadyMerged = [.. MergedTasks],
        InstructionFiles = InstructionFilesUsed(),
    };
}
