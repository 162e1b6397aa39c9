using Microsoft.Extensions.Time.Testing;
using Orchestrator.Contracts;
using Orchestrator.Merge.Forges;
using Orchestrator.Merge.Tests.Support;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Tests;

/// <summary>
/// A follow-up round: the merge service continues the pull request's branch from where it pushed it (so the pull
/// request gains commits), merges only the new tasks, and refuses when someone else pushed to the branch meanwhile.
/// </summary>
public sealed class FollowUpConsolidationTests : IDisposable
{
    private const string VerifyBoth = """{ "test": ["sh", "-c", "grep -q hello hello.txt && grep -q Greeter README.md"] }""";

    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly Guid _featureId = Guid.NewGuid();
    private readonly LocalForge _forge;
    private readonly string _workRoot;

    public FollowUpConsolidationTests()
    {
        _workRoot = _temp.CreateDirectory("merge-work");
        _forge = new LocalForge(_runner, _time);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_follow_up_is_merged_onto_the_pushed_branch_and_updates_the_same_pull_request_without_rewriting_it()
    {
        var (origin, first, opened) = await FirstPullRequestAsync();
        var followUp = await origin.CommitAsync(first.FeatureBranch, TaskBranch("follow-up-1"),
            new Dictionary<string, string> { ["hello.txt"] = "hello, reviewer\n" }, "Follow-up");
        var round = first with
        {
            Tasks = [.. first.Tasks, Features.Task("follow-up-1", AgentRole.Coder, TaskBranch("follow-up-1"), followUp)],
            StartFrom = opened.Verification.Commit,
            AlreadyMerged = ["implement"],
        };

        var updated = Assert.IsType<ConsolidationOutcome.Opened>(await ConsolidateAsync(round));

        Assert.Equal(opened.PullRequest.Number, updated.PullRequest.Number);
        var head = await origin.HeadOfAsync(first.FeatureBranch);
        Assert.Equal(updated.Verification.Commit, head);
        Assert.True(await origin.IsAncestorAsync(opened.Verification.Commit!, head!), "the pull request's history was rewritten");
        Assert.Equal("hello, reviewer", await origin.ShowAsync(first.FeatureBranch, "hello.txt"));
        Assert.Contains("follow-up-1", Assert.Single(await _forge.ListAsync(origin.Path, _ct)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_branch_someone_else_pushed_to_is_not_overwritten_and_the_reason_says_so()
    {
        var (origin, first, opened) = await FirstPullRequestAsync();
        var theirs = await origin.CommitAsync(first.FeatureBranch, first.FeatureBranch,
            new Dictionary<string, string> { ["theirs.txt"] = "a maintainer's fix\n" }, "Maintainer's commit");
        var followUp = await origin.CommitAsync("main", TaskBranch("follow-up-1"), new Dictionary<string, string> { ["more.txt"] = "more\n" }, "Follow-up");
        var round = first with
        {
            Tasks = [.. first.Tasks, Features.Task("follow-up-1", AgentRole.Coder, TaskBranch("follow-up-1"), followUp)],
            StartFrom = opened.Verification.Commit,
            AlreadyMerged = ["implement"],
        };

        var refused = Assert.IsType<ConsolidationOutcome.Refused>(await ConsolidateAsync(round));

        Assert.Contains($"is at {theirs}, not at {opened.Verification.Commit}", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(theirs, await origin.HeadOfAsync(first.FeatureBranch));
    }

    [Fact]
    public async Task A_reviewed_follow_up_is_not_published_over_a_branch_someone_pushed_to_during_the_review()
    {
        var (origin, first, opened) = await FirstPullRequestAsync();
        var followUp = await origin.CommitAsync(first.FeatureBranch, TaskBranch("follow-up-1"),
            new Dictionary<string, string> { ["hello.txt"] = "hello, reviewer\n" }, "Follow-up");
        var round = first with
        {
            Tasks = [.. first.Tasks, Features.Task("follow-up-1", AgentRole.Coder, TaskBranch("follow-up-1"), followUp)],
            StartFrom = opened.Verification.Commit,
            AlreadyMerged = ["implement"],
            ReviewBranch = TaskBranch("review-2"),
        };
        var ready = Assert.IsType<ConsolidationOutcome.ReadyForReview>(await ConsolidateAsync(round));
        var theirs = await origin.CommitAsync(first.FeatureBranch, first.FeatureBranch,
            new Dictionary<string, string> { ["theirs.txt"] = "a maintainer's fix\n" }, "Maintainer's commit");

        var refused = Assert.IsType<ConsolidationOutcome.Refused>(await Consolidators.Create(_runner, _forge, new ForgeAccess([]), _workRoot)
            .PublishReviewedAsync(new PublishReviewedFeature(round, ready.ReviewBranch, ready.Verification,
                new PullRequestReview(ReviewOutcome.Approved, "ok", [], 2)), _ct).WaitAsync(TimeSpan.FromSeconds(60), _ct));

        Assert.Contains($"is at {theirs}, not at {opened.Verification.Commit}", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(theirs, await origin.HeadOfAsync(first.FeatureBranch));
    }

    private async Task<(TestRepository Origin, ConsolidateFeature Feature, ConsolidationOutcome.Opened Opened)> FirstPullRequestAsync()
    {
        var origin = await TestRepository.CreateAsync(_temp, _runner,
            new Dictionary<string, string> { ["README.md"] = "# Greeter\n", [".orchestrator.json"] = VerifyBoth }, _ct);
        var implement = await origin.CommitAsync("main", TaskBranch("implement"), new Dictionary<string, string> { ["hello.txt"] = "hello\n" }, "Implement");
        var feature = Features.Consolidate(_featureId, origin.Path, [Features.Task("implement", AgentRole.Coder, TaskBranch("implement"), implement)]);
        var opened = Assert.IsType<ConsolidationOutcome.Opened>(await ConsolidateAsync(feature));
        return (origin, feature, opened);
    }

    private Task<ConsolidationOutcome> ConsolidateAsync(ConsolidateFeature feature) =>
        Consolidators.Create(_runner, _forge, new ForgeAccess([]), _workRoot).ConsolidateAsync(feature, _ct).WaitAsync(TimeSpan.FromSeconds(60), _ct);

    private string TaskBranch(string taskId) => $"orchestrator/tasks/{_featureId:N}/{taskId}";
}
