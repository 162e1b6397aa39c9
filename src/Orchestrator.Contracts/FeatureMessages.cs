namespace Orchestrator.Contracts;

/// <summary>
/// Asks for a feature to be built. Sent by the HTTP API (or any other system) as a request;
/// the feature saga answers with <see cref="FeatureAccepted"/> once the feature exists.
/// </summary>
/// <param name="FeatureId">Chosen by the sender; the correlation id of everything that follows.</param>
/// <param name="Repository">Clone URL or local path of the target repository.</param>
/// <param name="BaseBranch">Branch the feature starts from and the pull request targets.</param>
/// <param name="Request">The feature request, in plain language.</param>
/// <param name="Model">How the model is chosen for this feature.</param>
public sealed record SubmitFeature(
    Guid FeatureId,
    string Repository,
    string BaseBranch,
    string Request,
    ModelSelection Model,
    DateTimeOffset SubmittedAt)
{
    /// <summary>Most tokens (input plus output) the whole feature may spend; null for the configured default.</summary>
    public long? TokenBudget { get; init; }

    /// <summary>The issue the feature resolves; the pull request says <c>Closes #N</c>.</summary>
    public int? Issue { get; init; }

    /// <summary>
    /// Stop after planning until the plan is approved (<see cref="ApproveFeature"/>); null for the orchestrator's
    /// configured default (<c>Features:RequirePlanApproval</c>).
    /// </summary>
    public bool? ApprovePlan { get; init; }

    /// <summary>
    /// Have the Reviewer agent review the verified result before the pull request opens; null for the orchestrator's
    /// configured default (<c>Features:Review</c>, on unless configured off).
    /// </summary>
    public bool? Review { get; init; }
}

/// <summary>Which model drives a feature. A <see cref="Script"/> means the offline scripted model.</summary>
/// <param name="Script">Name of a scripted-model script (demo and test device), or null.</param>
/// <param name="Description">Human-readable label shown in status and the pull request, e.g. "scripted:demo".</param>
public sealed record ModelSelection(string? Script, string Description)
{
    /// <summary>The model name to ask the configured LLM endpoint for; null for the endpoint's default.</summary>
    public string? ModelId { get; init; }

    /// <summary>Record every model request and response of the feature into a cassette.</summary>
    public bool Record { get; init; }

    /// <summary>Name of a recorded cassette to replay instead of calling a model.</summary>
    public string? Replay { get; init; }

    /// <summary>True when the feature is driven by the scripted model rather than a real LLM.</summary>
    public bool IsScripted => Script is not null;
}

/// <summary>The saga's answer to <see cref="SubmitFeature"/>: the feature exists and planning has started.</summary>
public sealed record FeatureAccepted(Guid FeatureId, string State);

/// <summary>Asks the planner to turn a feature request into a task graph.</summary>
public sealed record PlanFeature(Guid FeatureId, string Repository, string BaseBranch, string Request, ModelSelection Model)
{
    /// <summary>
    /// The prepared work repository (the staging repository, or the target itself) whose base branch the planner reads
    /// before it plans; null (a message from before exploration): the planner plans from the request alone.
    /// </summary>
    public string? WorkRepository { get; init; }

    /// <summary>
    /// A read-only credential for <see cref="WorkRepository"/> when it is a staging repository (null otherwise). Give it
    /// to git only as an HTTP header in the process environment; never log it or put it in a URL, an argument or a file.
    /// </summary>
    public string? ReadCredential { get; init; }

    // A record prints every property: a logged request must not print its credential.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"FeatureId = {FeatureId}, Repository = {Repository}, BaseBranch = {BaseBranch}, WorkRepository = {WorkRepository}, ");
        builder.Append($"ReadCredential = {(ReadCredential is null ? "(none)" : "(set)")}");
        return true;
    }
}

/// <summary>One task of a plan, as the planner produced it.</summary>
/// <param name="TaskId">Short, unique within the plan, safe in a branch name (e.g. <c>implement-power</c>).</param>
/// <param name="DependsOn">Ids of tasks that must complete before this one starts.</param>
public sealed record PlannedTask(
    string TaskId,
    AgentRole Role,
    string Title,
    string Instructions,
    IReadOnlyList<string> DependsOn)
{
    /// <summary>The files the task should touch (paths relative to the repository root), as the planner named them.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];
}

/// <summary>The planner produced a valid plan.</summary>
/// <param name="Interface">Shared description of the code's interface that Coder and Tester both receive.</param>
public sealed record FeaturePlanned(
    Guid FeatureId,
    string Title,
    string Summary,
    string? Interface,
    IReadOnlyList<PlannedTask> Tasks,
    TokenUsage Usage)
{
    /// <summary>The repository's instruction files the planner was given (<c>AGENTS.md</c>, <c>CONTRIBUTING.md</c>, ...).</summary>
    public IReadOnlyList<string> InstructionFiles { get; init; } = [];
}

/// <summary>The planner could not produce a valid plan; the feature fails with <see cref="Reason"/>.</summary>
public sealed record FeaturePlanRejected(Guid FeatureId, string Reason, TokenUsage Usage);

/// <summary>Asks to stop a feature. Running agents stop their work; the feature ends <c>Cancelled</c>.</summary>
public sealed record CancelFeature(Guid FeatureId, string Reason);

/// <summary>
/// Asks a completed feature for more work on its open pull request (a reviewer's <c>/orchestrator</c> comment): one
/// more Coder task on the pull request's branch, then the same pull request updated. Ignored unless the feature is
/// <c>Completed</c>; a request id already seen changes nothing (a webhook delivered again).
/// </summary>
/// <param name="RequestId">Unique per request, e.g. the review comment's id.</param>
/// <param name="Instructions">What the reviewer asked for: untrusted text, like a feature request.</param>
/// <param name="RequestedBy">Who asked (a forge login), for the record.</param>
public sealed record RequestFollowUp(Guid FeatureId, string RequestId, string Instructions, string RequestedBy);

/// <summary>Published when a feature ends with its pull request open.</summary>
public sealed record FeatureCompleted(Guid FeatureId, PullRequestInfo PullRequest)
{
    /// <summary>The task branches, whose commits the pull request's head now holds.</summary>
    public IReadOnlyList<string> TaskBranches { get; init; } = [];

    /// <summary>When the feature was submitted; null from an orchestrator older than this field.</summary>
    public DateTimeOffset? SubmittedAt { get; init; }

    /// <summary>When the feature ended, by the orchestrator's clock; null from an orchestrator older than this field.</summary>
    public DateTimeOffset? EndedAt { get; init; }
}

/// <summary>Published when a feature ends without a pull request.</summary>
public sealed record FeatureFailed(Guid FeatureId, string Reason)
{
    /// <inheritdoc cref="FeatureCompleted.SubmittedAt"/>
    public DateTimeOffset? SubmittedAt { get; init; }

    /// <inheritdoc cref="FeatureCompleted.EndedAt"/>
    public DateTimeOffset? EndedAt { get; init; }
}

/// <summary>Published when a feature was cancelled. Agents working on it stop.</summary>
public sealed record FeatureCancelled(Guid FeatureId, string Reason)
{
    /// <inheritdoc cref="FeatureCompleted.SubmittedAt"/>
    public DateTimeOffset? SubmittedAt { get; init; }

    /// <inheritdoc cref="FeatureCompleted.EndedAt"/>
    public DateTimeOffset? EndedAt { get; init; }
}

/// <summary>
/// Published by the orchestrator's deadline monitor when a feature stage (planning, consolidation) ran past its deadline.
/// </summary>
public sealed record FeatureStageTimedOut(Guid FeatureId, string Stage, DateTimeOffset Deadline);

/// <summary>Tokens spent by model calls.</summary>
public sealed record TokenUsage(long InputTokens, long OutputTokens, int Calls)
{
    /// <summary>No usage.</summary>
    public static TokenUsage None { get; } = new(0, 0, 0);

    /// <summary>Total tokens, input plus output.</summary>
    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>Adds two usages.</summary>
    public static TokenUsage operator +(TokenUsage left, TokenUsage right) =>
        new(left.InputTokens + right.InputTokens, left.OutputTokens + right.OutputTokens, left.Calls + right.Calls);
}
