using Microsoft.Extensions.Time.Testing;
using Orchestrator.Contracts;
using Orchestrator.Merge.Forges;
using Orchestrator.Merge.Tests.Support;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Tests;

/// <summary>The reviewed path: verified → pushed to a review branch (no pull request) → published once reviewed, only at the verified commit.</summary>
public sealed class ReviewedConsolidationTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Guid _featureId = Guid.NewGuid();
    private readonly LocalForge _forge;
    private readonly string _workRoot;

    public ReviewedConsolidationTests()
    {
        _workRoot = _temp.CreateDirectory("merge-work");
        _forge = new LocalForge(_runner, new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)));
    }

    public void Dispose() => _temp.Dispose();

    private string ReviewBranch => $"orchestrator/tasks/{_featureId:N}/review-1";

    private FeatureConsolidator Consolidator() => Consolidators.Create(_runner, _forge, new ForgeAccess([]), _workRoot);

    private static readonly PullRequestReview Approved = new(ReviewOutcome.ApprovedWithNotes, "Does what was asked.",
        [new ReviewFinding("hello.txt", 1, ReviewSeverity.Suggestion, "Say hello to @everyone politely.")], 1);

    private async Task<(TestRepository Origin, ConsolidateFeature Feature)> ReviewedFeatureAsync()
    {
        var origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string>
        {
            ["README.md"] = "# Greeter\n",
            [".orchestrator.json"] = """{ "test": ["sh", "-c", "test -f hello.txt && echo 'Passed!'"] }""",
        }, _ct);
        var branch = $"orchestrator/tasks/{_featureId:N}/implement";
        var commit = await origin.CommitAsync("main", branch, new Dictionary<string, string> { ["hello.txt"] = "hello\n" }, "Implement");
        var feature = Features.Consolidate(_featureId, origin.Path, [Features.Task("implement", AgentRole.Coder, branch, commit)]) with
        {
            ReviewBranch = ReviewBranch,
        };
        return (origin, feature);
    }

    [Fact]
    public async Task A_feature_to_review_is_verified_and_pushed_to_its_review_branch_and_no_pull_request_is_opened()
    {
        var (origin, feature) = await ReviewedFeatureAsync();

        var outcome = await Consolidator().ConsolidateAsync(feature, _ct).WaitAsync(TimeSpan.FromSeconds(60), _ct);

        var ready = Assert.IsType<ConsolidationOutcome.ReadyForReview>(outcome);
        Assert.True(ready.Verification.Passed);
        Assert.Equal(ReviewBranch, ready.ReviewBranch);
        Assert.Equal(ready.Verification.Commit, await origin.HeadOfAsync(ReviewBranch));
        Assert.Null(await origin.HeadOfAsync(feature.FeatureBranch));
        Assert.Empty(await _forge.ListAsync(origin.Path, _ct));
    }

    [Fact]
    public async Task Once_reviewed_the_verified_commit_is_published_with_the_review_section_and_no_second_verification()
    {
        var (origin, feature) = await ReviewedFeatureAsync();
        var ready = Assert.IsType<ConsolidationOutcome.ReadyForReview>(await Consolidator().ConsolidateAsync(feature, _ct).WaitAsync(TimeSpan.FromSeconds(60), _ct));

        // A verification command that would fail now: publishing must not run it again.
        var outcome = await Consolidator().PublishReviewedAsync(
            new PublishReviewedFeature(feature, ReviewBranch, ready.Verification with { Summary = "verified once" }, Approved), _ct)
            .WaitAsync(TimeSpan.FromSeconds(60), _ct);

        var opened = Assert.IsType<ConsolidationOutcome.Opened>(outcome);
        Assert.Equal(ready.Verification.Commit, await origin.HeadOfAsync(feature.FeatureBranch));
        Assert.Equal(ready.Verification.Commit, opened.Verification.Commit);
        var record = Assert.Single(await _forge.ListAsync(origin.Path, _ct));
        Assert.Contains("## Review", record.Body, StringComparison.Ordinal);
        Assert.Contains("**Approved with notes:**", record.Body, StringComparison.Ordinal);
        Assert.Contains("- `hello.txt:1` (suggestion): Say hello to &#64;everyone politely.", record.Body, StringComparison.Ordinal);
        Assert.Contains("verified once", record.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publishing_is_refused_when_the_review_branch_moved_after_verification()
    {
        var (origin, feature) = await ReviewedFeatureAsync();
        var ready = Assert.IsType<ConsolidationOutcome.ReadyForReview>(await Consolidator().ConsolidateAsync(feature, _ct).WaitAsync(TimeSpan.FromSeconds(60), _ct));
        var moved = await origin.CommitAsync(ReviewBranch, ReviewBranch, new Dictionary<string, string> { ["evil.txt"] = "unreviewed\n" }, "Sneaked in");

        var outcome = await Consolidator().PublishReviewedAsync(
            new PublishReviewedFeature(feature, ReviewBranch, ready.Verification, Approved), _ct).WaitAsync(TimeSpan.FromSeconds(60), _ct);

        var refused = Assert.IsType<ConsolidationOutcome.Refused>(outcome);
        Assert.Contains($"is at {moved}, not at the verified commit {ready.Verification.Commit}", refused.Reason, StringComparison.Ordinal);
        Assert.Null(await origin.HeadOfAsync(feature.FeatureBranch));
        Assert.Empty(await _forge.ListAsync(origin.Path, _ct));
    }
}
