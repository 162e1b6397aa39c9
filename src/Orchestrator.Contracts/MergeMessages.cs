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
    TokenUsage Usage)
{
    /// <summary>The issue the feature resolves, for <c>Closes #N</c> in the pull request body.</summary>
    public int? Issue { get; init; }

    /// <summary>Where the task branches are, when not in <see cref="Repository"/> (the staging repository).</summary>
    public string? WorkRepository { get; init; }

    /// <summary>What the feature's tokens cost (e.g. "0.0123 USD"), when the model has a configured price.</summary>
    public string? Cost { get; init; }

    /// <summary>
    /// How often the merge service reports that it is still consolidating (<see cref="ConsolidationHeartbeat"/>); decided
    /// by the orchestrator. Null (a message from before heartbeats): none are sent.
    /// </summary>
    public TimeSpan? HeartbeatInterval { get; init; }

    /// <summary>
    /// A follow-up round: the commit the feature branch is at since the pull request was last updated. The merge
    /// service continues from it (so the pull request gains commits instead of being rewritten) and refuses when the
    /// branch has moved since. Null for a feature's first pull request.
    /// </summary>
    public string? StartFrom { get; init; }

    /// <summary>Tasks whose work <see cref="StartFrom"/> already holds: listed in the pull request, not merged again.</summary>
    public IReadOnlyList<string> AlreadyMerged { get; init; } = [];

    /// <summary>
    /// The feature is reviewed before it is published: once verified (and scanned for secrets), the merged commit is
    /// pushed to this branch of the work repository and reported (<see cref="FeatureVerified"/>) instead of opening the
    /// pull request. Null: publish at once.
    /// </summary>
    public string? ReviewBranch { get; init; }

    /// <summary>The repository's instruction files the planner and the agents were given, for the pull request to list.</summary>
    public IReadOnlyList<string> InstructionFiles { get; init; } = [];
}

/// <summary>The pull request of a feature.</summary>
/// <param name="Repository">Clone URL or path of the repository holding <see cref="Head"/>.</param>
public sealed record PullRequestInfo(int Number, string Url, string Head, string Base, string Repository, string Forge);

/// <summary>
/// The result of verifying the merged branch with the command its base branch names. <see cref="Passed"/> is true
/// only for a command that ran and exited 0.
/// </summary>
/// <param name="Summary">An excerpt of the command's output (its last lines), or why nothing ran.</param>
public sealed record VerificationResult(bool Passed, string Command, string Summary)
{
    /// <summary>False when the base branch has no build or test command: the pull request then says "Not verified".</summary>
    public bool Ran { get; init; } = true;

    /// <summary>The command's exit code; null when it did not run or was killed at its timeout.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The merged commit that was verified, the one pushed.</summary>
    public string? Commit { get; init; }

    /// <summary>Whether the command ran in the sandbox; false only under <c>Sandbox:Mode=none</c>.</summary>
    public bool Sandboxed { get; init; }
}

/// <summary>The merge service opened (or found already open) the feature's pull request.</summary>
public sealed record PullRequestOpened(Guid FeatureId, PullRequestInfo PullRequest, VerificationResult Verification);

/// <summary>
/// Merging the task branches conflicted: <see cref="TaskId"/>'s branch could not be merged onto the work merged before it.
/// The saga may send a conflict-resolution task to the Coder and consolidate again.
/// </summary>
/// <param name="Conflicts">The conflicting hunks, with conflict markers, as the Coder will need them.</param>
public sealed record MergeConflicted(Guid FeatureId, string TaskId, IReadOnlyList<string> ConflictingFiles, string Conflicts);

/// <summary>The merged branch does not pass its verification. The saga may send a fix task to the Coder.</summary>
public sealed record VerificationFailed(Guid FeatureId, VerificationResult Verification);

/// <summary>The merge service could not consolidate the feature; it fails with <see cref="Reason"/>.</summary>
public sealed record ConsolidationFailed(Guid FeatureId, string Reason, IReadOnlyList<string> ConflictingFiles);

/// <summary>
/// Sent to the merge service when a feature starts: make the repository the agents work against (a staging copy of
/// the base branch when the target is a forge only the merge service may write to).
/// </summary>
public sealed record PrepareWorkRepository(Guid FeatureId, string Repository, string BaseBranch)
{
    /// <summary>
    /// A branch of the target repository the agents build on besides the base branch: the feature branch of a pull
    /// request that a follow-up continues. Copied into the staging repository with the base branch.
    /// </summary>
    public string? SeedBranch { get; init; }
}

/// <summary>The agents clone from and push their task branches to <see cref="WorkRepository"/>.</summary>
public sealed record WorkRepositoryPrepared(Guid FeatureId, string WorkRepository)
{
    /// <summary>
    /// The staging repository's key, from which the saga derives each task attempt's credential
    /// (<c>StagingCredentials.ForTask</c>); null when the work repository needs none. Kept in the saga's state only.
    /// </summary>
    public string? StagingKey { get; init; }

    // A record prints every property: a logged message must not print the key.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"FeatureId = {FeatureId}, WorkRepository = {WorkRepository}, StagingKey = {(StagingKey is null ? "(none)" : "(set)")}");
        return true;
    }
}

/// <summary>The work repository could not be prepared; the feature fails with <see cref="Reason"/>.</summary>
public sealed record WorkRepositoryFailed(Guid FeatureId, string Reason);

/// <summary>
/// A request to the merge service (the holder of forge credentials): can the repository be read, and does it have the branch?
/// </summary>
public sealed record CheckRepository(string Repository, string BaseBranch);

/// <summary>The answer to <see cref="CheckRepository"/>.</summary>
public sealed record RepositoryChecked(bool Reachable, bool BranchExists, string? Error)
{
    /// <summary>Why no pull request could be opened there (e.g. a token that may read but not push); null when one can.</summary>
    public string? PublishError { get; init; }
}

/// <summary>
/// Asks the merge service, the only holder of forge credentials, to comment on an issue of the feature's repository
/// (a feature started from that issue says where it can be followed; a pull request, being an issue too, answers a
/// reviewer). Written once per feature and <see cref="Key"/>: a comment that already names both is not written again,
/// so a redelivery is harmless. Forges without issues ignore it.
/// </summary>
public sealed record CommentOnIssue(Guid FeatureId, string Repository, int Issue, string Body)
{
    /// <summary>Tells this comment from the feature's others on the same issue, e.g. the review comment it answers.</summary>
    public string? Key { get; init; }
}
