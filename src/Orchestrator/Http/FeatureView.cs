using Orchestrator.Features;
using Orchestrator.Contracts;
using Orchestrator.StateMachines;

namespace Orchestrator.Http;

/// <summary>What <c>GET /features/{id}</c> returns.</summary>
public sealed record FeatureView(
    Guid Id,
    string State,
    string Repository,
    string BaseBranch,
    string Request,
    int? Issue,
    string Model,
    bool Scripted,
    string? Title,
    string? Summary,
    string? Interface,
    string? FailureReason,
    DateTimeOffset SubmittedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<TaskView> Tasks,
    UsageView Usage,
    string? Cost,
    long TokenBudget,
    PullRequestInfo? PullRequest,
    VerificationResult? Verification,
    ConsolidationView? Consolidation,
    DateTimeOffset? ApprovalDeadline)
{
    public static FeatureView From(FeatureState feature, PriceTable prices) => new(
        feature.CorrelationId,
        feature.CurrentState,
        feature.Repository,
        feature.BaseBranch,
        feature.Request,
        feature.Issue,
        feature.Model.Description,
        feature.Model.IsScripted,
        feature.Title,
        feature.Summary,
        feature.Interface,
        feature.FailureReason,
        feature.SubmittedAt,
        feature.UpdatedAt,
        feature.Tasks.Select(TaskView.From).ToList(),
        UsageView.From(feature.Usage),
        prices.CostOf(feature.Model.Description, feature.Usage) is { } cost ? $"{cost} {prices.Currency}" : null,
        feature.TokenBudget,
        feature.PullRequest,
        feature.Verification,
        ConsolidationView.From(feature.Consolidation),
        // Waiting for approval (of the plan or of a larger budget) is the stage whose deadline this is.
        FeatureStateMachine.WaitingStates.Contains(feature.CurrentState) ? feature.StageDeadline : null)
    {
        Review = ReviewView.From(feature),
        InstructionFiles = feature.InstructionFilesUsed(),
    };

    /// <summary>The repository's instruction files (AGENTS.md, ...) the planner and the agents were given so far.</summary>
    public IReadOnlyList<string> InstructionFiles { get; init; } = [];

    /// <summary>The review: whether it is on, its rounds, the last verdict and findings; null for a feature from before reviews.</summary>
    public ReviewView? Review { get; init; }
}

/// <param name="Verdict">The last review's verdict as the Reviewer gives it (<c>approve</c>, <c>request-changes</c>); null before one.</param>
/// <param name="Outcome">How the review ended, once it did (what the pull request says).</param>
public sealed record ReviewView(
    bool Enabled,
    int Rounds,
    string? Verdict,
    string? Outcome,
    string? Summary,
    int FindingsCount,
    int MustFixCount,
    IReadOnlyList<ReviewFinding> Findings,
    string? Note)
{
    public static ReviewView From(FeatureState feature) => feature.Review is not { } review
        ? new(feature.ReviewEnabled, 0, null, null, null, 0, 0, [], null)
        : new(
            feature.ReviewEnabled,
            review.Rounds,
            review.Verdict switch { ReviewVerdict.Approve => "approve", ReviewVerdict.RequestChanges => "request-changes", _ => null },
            review.Outcome?.ToString(),
            review.Summary,
            review.Findings.Count,
            review.Findings.Count(f => f.Severity == ReviewSeverity.MustFix),
            [.. review.Findings],
            review.Note);
}

public sealed record TaskView(
    string Id,
    string Role,
    string Title,
    string State,
    int Attempts,
    IReadOnlyList<string> DependsOn,
    string? Branch,
    string? Commit,
    string? Summary,
    string? FailureReason,
    IReadOnlyList<string> ChangedFiles,
    UsageView Usage,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Instance,
    DateTimeOffset? LastSeen,
    IReadOnlyList<string> EarlierFailures,
    string Instructions)
{
    public static TaskView From(FeatureTask task) => new(
        task.TaskId,
        task.Role.Name,
        task.Title,
        task.State.ToString(),
        task.Attempts,
        [.. task.DependsOn],
        task.Branch,
        task.Commit,
        task.Summary,
        task.FailureReason,
        [.. task.ChangedFiles],
        UsageView.From(task.Usage),
        task.StartedAt,
        task.FinishedAt,
        task.Instance,
        task.LastSeen,
        [.. task.EarlierFailures],
        // What the agent will be told: the plan a person approves, or edits (POST /features/{id}/approve).
        task.Instructions)
    {
        Files = [.. task.Files],
    };

    /// <summary>The files the plan says the task should touch.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];
}

/// <summary>The current (or last) consolidation round: which merge instance works on it, when it was last heard from.</summary>
public sealed record ConsolidationView(int Attempts, string? Instance, DateTimeOffset? LastSeen, IReadOnlyList<string> EarlierFailures)
{
    public static ConsolidationView? From(ConsolidationRound? round) =>
        round is null ? null : new(round.Attempts, round.Instance, round.LastSeen, [.. round.EarlierFailures]);
}

public sealed record UsageView(long InputTokens, long OutputTokens, int Calls)
{
    public static UsageView From(TokenUsage usage) => new(usage.InputTokens, usage.OutputTokens, usage.Calls);
}

/// <summary>The body of <c>POST /features</c>.</summary>
/// <param name="Model">The model to ask the configured LLM endpoint for (default: the endpoint's model).</param>
/// <param name="Issue">The issue the feature resolves; when absent, a <c>#123</c> in the request text is used.</param>
/// <param name="TokenBudget">Most tokens the whole feature may spend (default: <c>Features:DefaultTokenBudget</c>).</param>
/// <param name="Record">Record every model call of the feature into a cassette (<c>Models:CassettesPath</c>).</param>
/// <param name="Replay">Replay a recorded cassette instead of calling a model.</param>
/// <param name="ApprovePlan">
/// Wait after planning until the plan is approved (<c>POST /features/{id}/approve</c>); default
/// <c>Features:RequirePlanApproval</c>.
/// </param>
/// <param name="Review">Have the Reviewer agent review the verified result before the pull request opens; default <c>Features:Review</c>.</param>
public sealed record SubmitFeatureRequest(
    string? Repository,
    string? BaseBranch,
    string? Request,
    string? Script,
    string? Model = null,
    int? Issue = null,
    long? TokenBudget = null,
    bool Record = false,
    string? Replay = null,
    bool? ApprovePlan = null,
    bool? Review = null);

/// <summary>The optional body of <c>POST /features/{id}/cancel</c>.</summary>
public sealed record CancelFeatureRequest(string? Reason);
