using Orchestrator.Contracts;
using Orchestrator.Merge.Forges;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge;

/// <summary>
/// The reviewed path (docs/decisions/0015-reviewer.md): a verified commit is pushed to a review branch of the work
/// repository for the Reviewer, and published later without a second verification — refused when the review branch no
/// longer points at the commit that was verified. Also the steps both paths share: the secret scan, the push, the pull request.
/// </summary>
public sealed partial class FeatureConsolidator
{
    private async Task<ConsolidationOutcome> PushForReviewAsync(
        GitRepository git, ConsolidateFeature feature, string reviewBranch, string baseCommit, VerificationResult verification,
        CancellationToken cancellationToken)
    {
        // Scanned before it leaves this service, though only for the reviewer: the staging repository is served over HTTP.
        var draft = Draft(feature, verification, review: null);
        if (await ScanAsync(git, feature, baseCommit, verification, draft, cancellationToken) is { } refused)
        {
            return refused;
        }

        var commit = verification.Commit!;
        if (reviewBranches?.StagingPathFor(feature) is { } staging)
        {
            await git.PushCommitToBranchAsync(staging, commit, reviewBranch, cancellationToken);
        }
        else if (feature.WorkRepository is { } work && work != feature.Repository)
        {
            await new GitRepository(processes, git.WorkingDirectory, forge.GitEnvironmentFor(work))
                .PushCommitToBranchAsync(work, commit, reviewBranch, cancellationToken);
        }
        else
        {
            await git.PushCommitToBranchAsync("origin", commit, reviewBranch, cancellationToken);
        }

        LogReadyForReview(logger, feature.FeatureId, commit, reviewBranch);
        return new ConsolidationOutcome.ReadyForReview(reviewBranch, verification);
    }

    /// <summary>Publishes the reviewed commit: the pull request opens (or is updated) with the review section.</summary>
    public async Task<ConsolidationOutcome> PublishReviewedAsync(PublishReviewedFeature request, CancellationToken cancellationToken)
    {
        return await InFreshCloneAsync(
            request.Feature, (git, publisher) => PublishReviewedInAsync(git, request, publisher, cancellationToken), cancellationToken);
    }

    private async Task<ConsolidationOutcome> PublishReviewedInAsync(
        GitRepository git, PublishReviewedFeature request, IPullRequestPublisher publisher, CancellationToken cancellationToken)
    {
        var feature = request.Feature;
        var verified = request.Verification.Commit
            ?? throw new InvalidOperationException("A reviewed feature is published only at its verified commit.");
        var baseCommit = await git.HeadAsync(cancellationToken);
        var (remote, fetcher) = await WorkRemoteAsync(git, feature, cancellationToken);
        await fetcher.FetchAsync(remote, request.ReviewBranch, cancellationToken);
        var tip = await git.ResolveAsync($"{remote}/{request.ReviewBranch}", cancellationToken);
        if (!string.Equals(tip, verified, StringComparison.OrdinalIgnoreCase))
        {
            return new ConsolidationOutcome.Refused(
                $"the review branch {request.ReviewBranch} is at {tip}, not at the verified commit {verified}: it moved after " +
                "verification, so nothing was published", []);
        }

        if (feature.StartFrom is { } pushed)
        {
            await git.FetchAsync(feature.FeatureBranch, cancellationToken);
            var head = await git.ResolveAsync($"origin/{feature.FeatureBranch}", cancellationToken);
            if (!string.Equals(head, pushed, StringComparison.OrdinalIgnoreCase))
            {
                return new ConsolidationOutcome.Refused(
                    $"the pull request's branch {feature.FeatureBranch} is at {head}, not at {pushed} where Orchestrator pushed it: " +
                    "someone else pushed to it, and the follow-up was not published over their commits", []);
            }
        }

        await git.CreateBranchAtAsync(feature.FeatureBranch, verified, cancellationToken);
        return await PublishAsync(git, feature, publisher, baseCommit, request.Verification, request.Review, cancellationToken);
    }

    /// <summary>Scans what would leave, pushes the feature branch (at the verified commit) and opens or updates the pull request.</summary>
    private async Task<ConsolidationOutcome> PublishAsync(
        GitRepository git, ConsolidateFeature feature, IPullRequestPublisher publisher, string baseCommit, VerificationResult verification,
        PullRequestReview? review, CancellationToken cancellationToken)
    {
        var draft = Draft(feature, verification, review);
        if (await ScanAsync(git, feature, baseCommit, verification, draft, cancellationToken) is { } refused)
        {
            return refused;
        }

        await git.PushAsync(feature.FeatureBranch, force: true, cancellationToken);
        try
        {
            var pullRequest = await publisher.OpenOrUpdateAsync(draft, cancellationToken);
            LogOpened(logger, feature.FeatureId, pullRequest.Number, pullRequest.Url);
            return new ConsolidationOutcome.Opened(pullRequest, verification);
        }
        catch (ForgeException ex)
        {
            // Credentials, permissions, a missing repository: retrying will not help, the user must act.
            return new ConsolidationOutcome.Refused($"the pull request could not be opened: {ex.Message}", []);
        }
    }

    private PullRequestDraft Draft(ConsolidateFeature feature, VerificationResult verification, PullRequestReview? review) =>
        new(feature.FeatureId, feature.Repository, feature.FeatureBranch, feature.BaseBranch, feature.Title,
            PullRequestBody.Write(feature, verification, links.Value.PublicUrl, review));

    private async Task<ConsolidationOutcome?> ScanAsync(
        GitRepository git, ConsolidateFeature feature, string baseCommit, VerificationResult verification, PullRequestDraft draft,
        CancellationToken cancellationToken)
    {
        var findings = await secrets.ScanOutgoingAsync(git, baseCommit, verification.Commit!, draft, cancellationToken);
        if (findings.Count == 0)
        {
            return null;
        }

        var found = string.Join("; ", findings.Select(f => $"{f.Kind} in {f.Where}"));
        LogSecretsFound(logger, feature.FeatureId, found);
        return new ConsolidationOutcome.Refused(
            $"nothing was pushed: the feature would publish what looks like a secret — {found}", findings.Select(f => f.Where).Distinct().ToList());
    }

    /// <summary>
    /// The remote holding the task (and review) branches — the staging repository when there is one, read with this
    /// service's own staging credential, else the target repository — and the git that reaches it.
    /// </summary>
    private async Task<(string Remote, GitRepository Git)> WorkRemoteAsync(GitRepository git, ConsolidateFeature feature, CancellationToken cancellationToken)
    {
        if (feature.WorkRepository is not { } work || work == feature.Repository)
        {
            return ("origin", git);
        }

        await git.AddRemoteAsync("work", work, cancellationToken);
        return ("work", new GitRepository(processes, git.WorkingDirectory, forge.GitEnvironmentFor(work)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId}: verified commit {Commit} pushed to {Branch} for review")]
    private static partial void LogReadyForReview(ILogger logger, Guid featureId, string commit, string branch);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId}: pull request #{Number} open at {Url}")]
    private static partial void LogOpened(ILogger logger, Guid featureId, int number, string url);

    [LoggerMessage(Level = LogLevel.Error, Message = "Feature {FeatureId}: nothing pushed, secret-like text found: {Findings}")]
    private static partial void LogSecretsFound(ILogger logger, Guid featureId, string findings);
}
