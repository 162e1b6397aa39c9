using System.Text.Json;
using Orchestrator.Agents.Tests.Support;
using Orchestrator.Contracts;
using Orchestrator.Workspaces;

namespace Orchestrator.Agents.Tests;

/// <summary>The Reviewer service end to end: ReviewFeature in, a clone at the verified commit, FeatureReviewed or TaskFailed out, nothing pushed.</summary>
public sealed class ReviewFeatureSpecs : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly ProcessRunner _runner = Runners.Create();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly Guid _featureId = Guid.NewGuid();
    private ReviewerHost _host = null!;
    private TestRepository _origin = null!;
    private string _verified = null!;

    private string ReviewBranch => $"orchestrator/tasks/{_featureId:N}/review-1";

    public async ValueTask InitializeAsync()
    {
        _host = await ReviewerHost.StartAsync(_temp);
        _origin = await TestRepository.CreateAsync(_temp, _runner, new Dictionary<string, string>
        {
            ["README.md"] = "# Greeter\n",
            [".orchestrator.json"] = """{ "build": ["true"], "test": ["true"] }""",
        }, _ct);
        _verified = await _origin.CommitAsync("main", ReviewBranch, new Dictionary<string, string> { ["src/Hello.txt"] = "Hello, world!\n" }, "Merged");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.DisposeAsync();
        }
        finally
        {
            _temp.Dispose();
        }
    }

    private ReviewFeature Review(string script) => new(
        Tasks.Assignment(_origin.Path, script, "review-1", _featureId) with { Role = AgentRole.Reviewer, Kind = TaskKind.Review, Branch = ReviewBranch },
        _verified,
        "Add a greeting",
        "Adds src/Hello.txt.",
        ["implement (Coder): Add Hello.txt"]);

    private static string Script(params object[] turns) => JsonSerializer.Serialize(new { description = "a review", agents = new Dictionary<string, object[]> { ["review-1"] = turns } });

    private static object Answer(object review) => new { content = JsonSerializer.Serialize(review) };

    private static readonly object ChangesRequested = new
    {
        verdict = "request-changes",
        summary = "The greeting lacks a trailing period.",
        findings = new object[] { new { file = "src/Hello.txt", line = 1, severity = "must-fix", message = "End the greeting with a period." } },
    };

    [Fact]
    public async Task Reviews_the_verified_commit_with_read_only_tools_and_reports_the_findings()
    {
        _host.WriteScript("review", Script(
            new { toolCalls = new object[] { new { name = "workspace_read_file", arguments = new { path = "src/Hello.txt" } } } },
            // A reviewer has no write tool: the call comes back as an error, and nothing changes.
            new { toolCalls = new object[] { new { name = "workspace_write_file", arguments = new { path = "src/Hello.txt", content = "changed" } } } },
            Answer(ChangesRequested)));
        var review = Review("review");

        await _host.SendAsync(review);
        var reviewed = Assert.IsType<FeatureReviewed>(await _host.OutcomeAsync(review.Task));

        Assert.Equal(ReviewVerdict.RequestChanges, reviewed.Review.Verdict);
        var finding = Assert.Single(reviewed.Review.Findings);
        Assert.Equal(new ReviewFinding("src/Hello.txt", 1, ReviewSeverity.MustFix, "End the greeting with a period."), finding);
        Assert.Equal(3, reviewed.Usage.Calls);
        Assert.Equal(_verified, await _origin.HeadOfAsync(ReviewBranch));
        Assert.Equal("Hello, world!", await _origin.ShowAsync(ReviewBranch, "src/Hello.txt"));
    }

    [Fact]
    public async Task An_answer_that_is_not_a_review_is_asked_again_once()
    {
        _host.WriteScript("again", Script(
            new { content = "Looks good to me!" },
            Answer(new { verdict = "approve", summary = "Fine.", findings = Array.Empty<object>() })));
        var review = Review("again");

        await _host.SendAsync(review);
        var reviewed = Assert.IsType<FeatureReviewed>(await _host.OutcomeAsync(review.Task));

        Assert.Equal(ReviewVerdict.Approve, reviewed.Review.Verdict);
        Assert.Equal(2, reviewed.Usage.Calls);
    }

    [Fact]
    public async Task Two_answers_that_are_not_reviews_fail_the_review_with_the_reason()
    {
        _host.WriteScript("invalid", Script(
            new { content = "Looks good to me!" },
            Answer(new { verdict = "maybe", summary = "Hm.", findings = Array.Empty<object>() })));
        var review = Review("invalid");

        await _host.SendAsync(review);
        var failed = Assert.IsType<TaskFailed>(await _host.OutcomeAsync(review.Task));

        Assert.Equal("the reviewer's answer was not a valid review, twice: \"verdict\" must be \"approve\" or \"request-changes\"", failed.Reason);
        Assert.Equal(2, failed.Usage.Calls);
    }

    [Fact]
    public async Task A_review_branch_that_is_not_at_the_verified_commit_is_not_reviewed()
    {
        _host.WriteScript("moved", Script(Answer(new { verdict = "approve", summary = "Fine.", findings = Array.Empty<object>() })));
        var moved = await _origin.CommitAsync(ReviewBranch, ReviewBranch, new Dictionary<string, string> { ["x.txt"] = "x\n" }, "Moved");
        var review = Review("moved");

        await _host.SendAsync(review);
        var failed = Assert.IsType<TaskFailed>(await _host.OutcomeAsync(review.Task));

        Assert.Equal($"the review branch {ReviewBranch} is at {moved}, not at the verified commit {_verified}", failed.Reason);
        Assert.Equal(0, failed.Usage.Calls);
    }
}
