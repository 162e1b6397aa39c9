namespace Orchestrator.Contracts;

/// <summary>A completed task, as the merge service needs it.</summary>
public sealed record TaskBranch(
    string TaskId,
    AgentRole Role,
    string Title,
    string Branch,
    string Commit,
    string Summary,
    IReadOnlyList<string> DependsOn,
    int Attempts,
    TokenUsage Usage,
    TimeSpan Duration);

/// <summary>
/// Sent to the merge service: merge the task branches (in the given order, which respects dependencies)
/// onto <see cref="FeatureBranch"/> from the base branch, verify, push and open or update one pull request.
/// </summary>
public sealed record ConsolidateFeature(
    Guid FeatureId,
    string Repository,
    string BaseBranch,
    string FeatureBranch,
    string Title,
    string Summary,
    string Request,
    IReadOnlyList<TaskBranch> Tasks,
    ModelSelection Model,
    TokenUsage Usage);

/// <summary>The pull request of a feature.</summary>
/// <param name="Repository">Clone URL or path of the repository holding <see cref="Head"/>.</param>
public sealed record PullRequestInfo(int Number, string Url, string Head, string Base, string Repository, string Forge);

/// <summary>The result of verifying the merged branch.</summary>
public sealed record VerificationResult(bool Passed, string Command, string Summary);

/// <summary>The merge service opened (or found already open) the feature's pull request.</summary>
public sealed record PullRequestOpened(Guid FeatureId, PullRequestInfo PullRequest, VerificationResult Verification);

/// <summary>The merge service could not consolidate the feature; it fails with <see cref="Reason"/>.</summary>
public sealed record ConsolidationFailed(Guid FeatureId, string Reason, IReadOnlyList<string> ConflictingFiles);
