using System.Diagnostics;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts;
using Orchestrator.Merge.Forges;
using Orchestrator.Merge.Staging;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge;

/// <summary>The outcome of a consolidation: an open pull request, or why there is none.</summary>
public abstract record ConsolidationOutcome
{
    public sealed record Opened(PullRequestInfo PullRequest, VerificationResult Verification) : ConsolidationOutcome;

    /// <summary>A task branch conflicts with the work merged before it; an agent can resolve it.</summary>
    public sealed record Conflicted(string TaskId, IReadOnlyList<string> ConflictingFiles, string Conflicts) : ConsolidationOutcome;

    /// <summary>The merged result does not pass verification; an agent can fix it.</summary>
    public sealed record Unverified(VerificationResult Verification) : ConsolidationOutcome;

    /// <summary>Verified and pushed to <paramref name="ReviewBranch"/> of the work repository, for the Reviewer; no pull request yet.</summary>
    public sealed record ReadyForReview(string ReviewBranch, VerificationResult Verification) : ConsolidationOutcome;

    /// <summary>Nothing an agent can do: no forge, or git failed.</summary>
    public sealed record Refused(string Reason, IReadOnlyList<string> ConflictingFiles) : ConsolidationOutcome;
}

/// <summary>
/// Fans the task branches into the feature branch (in dependency order, from the base branch), verifies the result
/// with the test (or build) command the base branch names, checks that no secret is about to leave, pushes the
/// verified commit and opens or updates the feature's one pull request — or, for a feature that is reviewed, pushes it
/// to a review branch and publishes it once reviewed (<c>FeatureConsolidator.Review.cs</c>).
/// </summary>
public sealed partial class FeatureConsolidator(
    ProcessRunner processes,
    MergeVerifier verifier,
    SecretScanner secrets,
    IEnumerable<IPullRequestPublisher> publishers,
    ForgeAccess forge,
    IOptions<MergeOptions> options,
    IOptions<PublicLinkOptions> links,
    ILogger<FeatureConsolidator> logger,
    ReviewBranches? reviewBranches = null)
{
    private static readonly ActivitySource Telemetry = new("Orchestrator");

    public async Task<ConsolidationOutcome> ConsolidateAsync(ConsolidateFeature feature, CancellationToken cancellationToken)
    {
        using var activity = Telemetry.StartActivity("consolidate feature");
        activity?.SetTag("orchestrator.feature_id", feature.FeatureId);

        return await InFreshCloneAsync(feature, (git, publisher) => ConsolidateInAsync(git, feature, publisher, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a fresh clone of the feature's base branch with the forge that publishes to its
    /// repository, and deletes the clone afterwards; refused when no forge can publish there.
    /// </summary>
    private async Task<ConsolidationOutcome> InFreshCloneAsync(
        ConsolidateFeature feature, Func<GitRepository, IPullRequestPublisher, Task<ConsolidationOutcome>> work, CancellationToken cancellationToken)
    {
        var publisher = publishers.FirstOrDefault(p => p.CanPublishTo(feature.Repository));
        if (publisher is null)
        {
            return new ConsolidationOutcome.Refused($"no forge is configured that can open a pull request on '{feature.Repository}'", []);
        }

        var workspace = Path.Combine(Path.GetFullPath(options.Value.WorkRoot), $"{feature.FeatureId:N}-{Guid.NewGuid():N}");
        try
        {
            var git = await GitRepository.CloneAsync(
                processes, feature.Repository, feature.BaseBranch, workspace, forge.GitEnvironmentFor(feature.Repository), cancellationToken);
            return await work(git, publisher);
        }
        finally
        {
            if (WorkspaceDirectory.TryDelete(workspace) is { } error)
            {
                LogCleanupFailed(logger, workspace, error);
            }
        }
    }

    private async Task<ConsolidationOutcome> ConsolidateInAsync(
        GitRepository git, ConsolidateFeature feature, IPullRequestPublisher publisher, CancellationToken cancellationToken)
    {
        // Read before any agent's work is merged: what verifies the feature is the base branch's choice, not the agents'.
        var baseCommit = await git.HeadAsync(cancellationToken);
        var (commands, invalid) = BaseCommands(git.WorkingDirectory);
        if (commands is null)
        {
            return new ConsolidationOutcome.Refused($"nothing can verify the feature: the base branch's {invalid}", []);
        }

        await git.ConfigureIdentityAsync("Orchestrator Merge", "merge@agents.orchestrator.invalid", cancellationToken);
        if (await StartFeatureBranchAsync(git, feature, cancellationToken) is { } refused)
        {
            return refused;
        }

        if (await MergeTaskBranchesAsync(git, feature, cancellationToken) is { } stopped)
        {
            return stopped;
        }

        var verification = await verifier.VerifyAsync(git, commands, feature.FeatureId, cancellationToken);
        if (verification.Ran && !verification.Passed)
        {
            return new ConsolidationOutcome.Unverified(verification);
        }

        if (feature.ReviewBranch is { } reviewBranch)
        {
            return await PushForReviewAsync(git, feature, reviewBranch, baseCommit, verification, cancellationToken);
        }

        // This repository ran no repository command (verification ran on a copy), so its branch is the verified commit.
        return await PublishAsync(git, feature, publisher, baseCommit, verification, review: null, cancellationToken);
    }

    /// <summary>
    /// The feature branch starts at the base branch — or, in a follow-up round, where the pull request's branch was
    /// pushed, so the pull request gains commits rather than being rewritten. A branch that moved since (someone pushed
    /// to it) is refused: overwriting their commits is not Orchestrator's call.
    /// </summary>
    private async Task<ConsolidationOutcome?> StartFeatureBranchAsync(GitRepository git, ConsolidateFeature feature, CancellationToken cancellationToken)
    {
        if (feature.AlreadyMerged.Count == 0)
        {
            await git.CreateBranchAsync(feature.FeatureBranch, cancellationToken);
            return null;
        }

        await git.FetchAsync(feature.FeatureBranch, cancellationToken);
        var tip = await git.ResolveAsync($"origin/{feature.FeatureBranch}", cancellationToken);
        if (feature.StartFrom is { } pushed && !string.Equals(tip, pushed, StringComparison.OrdinalIgnoreCase))
        {
            return new ConsolidationOutcome.Refused(
                $"the pull request's branch {feature.FeatureBranch} is at {tip}, not at {pushed} where Orchestrator pushed it: " +
                "someone else pushed to it, and the follow-up was not merged over their commits", []);
        }

        await git.CreateBranchAtAsync(feature.FeatureBranch, tip, cancellationToken);
        return null;
    }

    private (RepositoryCommands? Commands, string? Invalid) BaseCommands(string workspace)
    {
        try
        {
            return (RepositoryCommands.Detect(workspace), null);
        }
        catch (InvalidOperationException ex)
        {
            // The message names the file by its path in this service's workspace; the user knows it by its name.
            var reason = ex.Message.Replace(workspace + Path.DirectorySeparatorChar, string.Empty, StringComparison.Ordinal);
            LogInvalidConfiguration(logger, reason);
            return (null, reason);
        }
    }

    /// <summary>
    /// Fetches the task branches and merges the commits the agents reported onto the feature branch; the first conflict
    /// stops it. A branch whose tip is not its reported commit is refused: it moved after its agent reported, and
    /// whatever it holds now is nothing the saga accepted.
    /// </summary>
    private async Task<ConsolidationOutcome?> MergeTaskBranchesAsync(
        GitRepository git, ConsolidateFeature feature, CancellationToken cancellationToken)
    {
        // The task branches are in the staging repository when there is one (read with this service's own staging
        // credential), else in the target repository.
        var (remote, fetcher) = await WorkRemoteAsync(git, feature, cancellationToken);

        // Tasks the pull request's branch already holds (a follow-up round) are listed in its body, not merged again.
        var toMerge = feature.Tasks.Where(t => !feature.AlreadyMerged.Contains(t.TaskId)).ToList();
        foreach (var task in toMerge)
        {
            await fetcher.FetchAsync(remote, task.Branch, cancellationToken);
            var tip = await git.ResolveAsync($"{remote}/{task.Branch}", cancellationToken);
            if (!string.Equals(tip, task.Commit, StringComparison.OrdinalIgnoreCase))
            {
                LogMoved(logger, feature.FeatureId, task.TaskId, task.Commit, tip);
                return new ConsolidationOutcome.Refused(
                    $"the branch {task.Branch} of task '{task.TaskId}' is at {tip}, not at the commit {task.Commit} its agent reported; " +
                    "it was changed after the task completed, so nothing was merged", []);
            }
        }

        foreach (var task in await TipsAsync(git, toMerge, cancellationToken))
        {
            var merge = await git.MergeKeepingConflictsAsync(task.Commit, $"Merge {task.Role} task {task.TaskId}: {task.Title}", cancellationToken);
            if (!merge.Merged)
            {
                LogConflict(logger, feature.FeatureId, task.TaskId, merge.ConflictingFiles.Count);
                return new ConsolidationOutcome.Conflicted(task.TaskId, merge.ConflictingFiles, await ConflictsAsync(git, cancellationToken));
            }
        }

        return null;
    }

    /// <summary>
    /// The task commits to merge: one already contained in another task's commit (a dependency the later task merged,
    /// or everything a conflict resolution or fix merged) comes in through that one. Order is kept.
    /// </summary>
    private static async Task<IReadOnlyList<TaskBranch>> TipsAsync(
        GitRepository git, IReadOnlyList<TaskBranch> tasks, CancellationToken cancellationToken)
    {
        var tips = new List<TaskBranch>();
        foreach (var task in tasks)
        {
            var covered = false;
            foreach (var other in tasks.Where(o => o.TaskId != task.TaskId))
            {
                if (await git.IsAncestorAsync(task.Commit, other.Commit, cancellationToken))
                {
                    covered = true;
                    break;
                }
            }

            if (!covered)
            {
                tips.Add(task);
            }
        }

        return tips;
    }

    /// <summary>The conflicting hunks of the merge in progress with their markers, for the agent that resolves them; the merge is then undone.</summary>
    private static async Task<string> ConflictsAsync(GitRepository git, CancellationToken cancellationToken)
    {
        const int maxChars = 20_000;
        var diff = await git.WorkingTreeDiffAsync(cancellationToken);
        await git.AbortMergeAsync(cancellationToken);
        return diff.Length <= maxChars ? diff : diff[..maxChars] + "\n... (truncated)";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feature {FeatureId}: task {TaskId} conflicts in {Files} files")]
    private static partial void LogConflict(ILogger logger, Guid featureId, string taskId, int files);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feature {FeatureId}: task {TaskId} reported {Reported} but its branch is at {Tip}")]
    private static partial void LogMoved(ILogger logger, Guid featureId, string taskId, string reported, string tip);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The base branch's repository configuration is not valid: {Reason}")]
    private static partial void LogInvalidConfiguration(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete workspace {Directory}: {Reason}")]
    private static partial void LogCleanupFailed(ILogger logger, string directory, string reason);
}
