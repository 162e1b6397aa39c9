using MassTransit;
using MassTransit.Testing;
using Orchestrator.Contracts;
using Orchestrator.Features;
using Orchestrator.Http;
using Orchestrator.Tests.Support;
using static Orchestrator.Tests.FeatureSagaHarness;

namespace Orchestrator.Tests;

/// <summary>The review (docs/decisions/0015-reviewer.md): verified → Reviewing → published with it, or a bounded fix round; a review that cannot be done publishes with the reason.</summary>
public sealed class FeatureReviewSpecs
{
    private static readonly PlannedTask Implement = Planned("implement", AgentRole.Coder);

    private static readonly ReviewFinding MustFix = new("src/Calculator/Arithmetic.cs", 42, ReviewSeverity.MustFix, "Power(x, 0) returns x, not 1.");
    private static readonly ReviewFinding Suggestion = new("README.md", null, ReviewSeverity.Suggestion, "Mention the exception.");

    [Fact]
    public async Task A_verified_feature_is_pushed_for_review_and_the_reviewer_gets_the_commit_the_plan_and_a_read_only_credential()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync();
        var key = Orchestrator.Messaging.StagingCredentials.NewKey();
        await h.PlanAsync(key, Implement);
        await h.PublishAsync(h.Completed("implement"));

        var consolidation = (await h.ConsolidationsAsync())[0];
        Assert.Equal(ReviewBranch(h, 1), consolidation.ReviewBranch);
        await h.PublishAsync(new FeatureVerified(h.FeatureId, ReviewBranch(h, 1), Verified("verified-1")));

        await h.WaitForStateAsync(s => s.Reviewing);
        var review = await ReviewRequestAsync(h, 1);
        Assert.Equal("review-1", review.Task.TaskId);
        Assert.Equal(AgentRole.Reviewer, review.Task.Role);
        Assert.Equal(TaskKind.Review, review.Task.Kind);
        Assert.Equal(ReviewBranch(h, 1), review.Task.Branch);
        Assert.Equal("verified-1", review.Commit);
        Assert.Equal("Add Power", review.PlanTitle);
        Assert.Equal(["implement (Coder): Title of implement"], review.PlanTasks);
        Assert.Equal("double Power(double, int)", review.Task.Interface);
        Assert.True(Orchestrator.Messaging.StagingCredentials.Verify(key, review.Task.StagingCredential)!.IsReader);
        Assert.Equal(FeatureTaskState.Queued, h.Instance!.FindTask("review-1")!.State);
    }

    [Fact]
    public async Task An_approval_publishes_the_verified_commit_with_the_review_and_completes_the_feature()
    {
        await using var h = await ReviewingAsync();

        await h.PublishAsync(Reviewed(h, 1, new ReviewReport(ReviewVerdict.Approve, "Looks right.", [])));

        var publish = await PublishRequestAsync(h);
        Assert.Equal(ReviewBranch(h, 1), publish.ReviewBranch);
        Assert.Equal("verified-1", publish.Verification.Commit);
        Assert.Equal(ReviewOutcome.Approved, publish.Review.Outcome);
        Assert.Equal("Looks right.", publish.Review.Summary);
        Assert.Single(h.Harness.SentSoFar<ConsolidateFeature>());
        Assert.Equal("Consolidating", h.Instance!.CurrentState);

        await h.PublishAsync(new PullRequestOpened(h.FeatureId, PullRequest(), Verified("verified-1")));
        await h.WaitForStateAsync(s => s.Completed);
        var view = FeatureView.From(h.Instance!, new PriceTable(Microsoft.Extensions.Options.Options.Create(new PricingOptions())));
        Assert.Equal("approve", view.Review!.Verdict);
        Assert.Equal(0, view.Review.FindingsCount);
        Assert.Equal(FeatureTaskState.Completed, h.Instance!.FindTask("review-1")!.State);
        Assert.DoesNotContain("review-1", h.Instance.MergedTasks);
    }

    [Fact]
    public async Task Suggestions_only_publish_with_the_suggestions_listed()
    {
        await using var h = await ReviewingAsync();

        await h.PublishAsync(Reviewed(h, 1, new ReviewReport(ReviewVerdict.Approve, "Fine; one note.", [Suggestion])));

        var publish = await PublishRequestAsync(h);
        Assert.Equal(ReviewOutcome.ApprovedWithNotes, publish.Review.Outcome);
        Assert.Equal([Suggestion], publish.Review.Findings);
    }

    [Fact]
    public async Task Must_fix_findings_send_address_review_to_the_coder_then_the_feature_is_consolidated_and_reviewed_again()
    {
        await using var h = await ReviewingAsync();

        await h.PublishAsync(Reviewed(h, 1, new ReviewReport(ReviewVerdict.RequestChanges, "Power is wrong for 0.", [MustFix, Suggestion])));

        await h.WaitForStateAsync(s => s.Executing);
        var fix = await h.DispatchedAsync("address-review-1");
        Assert.Equal(TaskKind.AddressReview, fix.Kind);
        Assert.Equal(AgentRole.Coder, fix.Role);
        Assert.Contains("src/Calculator/Arithmetic.cs:42: Power(x, 0) returns x, not 1.", fix.Instructions);
        Assert.DoesNotContain("Mention the exception", fix.Instructions);
        Assert.Equal([$"orchestrator/tasks/{h.FeatureId:N}/implement"], fix.DependencyBranches);

        await h.PublishAsync(h.Completed("address-review-1"));
        var consolidations = await h.ConsolidationsAsync(2);
        Assert.Equal(ReviewBranch(h, 2), consolidations[^1].ReviewBranch);
        Assert.Equal(["implement", "address-review-1"], consolidations[^1].Tasks.Select(t => t.TaskId));
        await h.PublishAsync(new FeatureVerified(h.FeatureId, ReviewBranch(h, 2), Verified("verified-2")));
        await h.WaitForStateAsync(s => s.Reviewing);
        var second = await ReviewRequestAsync(h, 2);
        Assert.Equal("verified-2", second.Commit);

        await h.PublishAsync(Reviewed(h, 2, new ReviewReport(ReviewVerdict.Approve, "Fixed.", [])));
        var publish = await PublishRequestAsync(h);
        Assert.Equal(ReviewOutcome.Approved, publish.Review.Outcome);
        Assert.Equal(2, publish.Review.Rounds);
        Assert.Equal("verified-2", publish.Verification.Commit);
    }

    [Fact]
    public async Task When_the_review_rounds_are_used_up_the_pull_request_opens_with_the_findings_still_open()
    {
        await using var h = await ReviewingAsync(o => o.MaxReviewRounds = 1);
        await h.PublishAsync(Reviewed(h, 1, new ReviewReport(ReviewVerdict.RequestChanges, "Wrong.", [MustFix])));
        await h.WaitForStateAsync(s => s.Executing);
        await h.PublishAsync(h.Completed("address-review-1"));
        await h.ConsolidationsAsync(2);
        await h.PublishAsync(new FeatureVerified(h.FeatureId, ReviewBranch(h, 2), Verified("verified-2")));
        await ReviewRequestAsync(h, 2);

        await h.PublishAsync(Reviewed(h, 2, new ReviewReport(ReviewVerdict.RequestChanges, "Still wrong.", [MustFix])));

        var publish = await PublishRequestAsync(h);
        Assert.Equal(ReviewOutcome.ChangesUnresolved, publish.Review.Outcome);
        Assert.Equal([MustFix], publish.Review.Findings);
        Assert.DoesNotContain(h.Dispatched(), t => t.TaskId == "address-review-2");
    }

    [Fact]
    public async Task With_no_review_rounds_must_fix_findings_only_annotate_the_pull_request()
    {
        await using var h = await ReviewingAsync(o => o.MaxReviewRounds = 0);

        await h.PublishAsync(Reviewed(h, 1, new ReviewReport(ReviewVerdict.RequestChanges, "Wrong.", [MustFix])));

        Assert.Equal(ReviewOutcome.ChangesUnresolved, (await PublishRequestAsync(h)).Review.Outcome);
    }

    [Fact]
    public async Task A_review_that_failed_publishes_the_verified_commit_saying_why_it_was_not_reviewed()
    {
        await using var h = await ReviewingAsync();

        await h.PublishAsync(new TaskFailed(h.FeatureId, "review-1", 1, "the reviewer's answer was not a valid review, twice: the answer holds no JSON object",
            new TokenUsage(50, 10, 2)));

        var publish = await PublishRequestAsync(h);
        Assert.Equal(ReviewOutcome.NotCompleted, publish.Review.Outcome);
        Assert.Contains("not a valid review, twice", publish.Review.Note);
        Assert.Equal(FeatureTaskState.Failed, h.Instance!.FindTask("review-1")!.State);
        Assert.Equal(60, h.Instance.FindTask("review-1")!.Usage.TotalTokens);
    }

    [Fact]
    public async Task A_reviewer_that_crashed_publishes_with_the_crash_as_the_reason()
    {
        await using var h = await ReviewingAsync();
        var review = await ReviewRequestAsync(h, 1);

        await h.PublishAsync<Fault<ReviewFeature>>(new FaultStub<ReviewFeature>(review, "disk full"));

        var publish = await PublishRequestAsync(h);
        Assert.Equal(ReviewOutcome.NotCompleted, publish.Review.Outcome);
        Assert.Contains("the reviewer crashed: IOException: disk full", publish.Review.Note);
    }

    [Fact]
    public async Task A_review_that_times_out_is_sent_again_and_after_the_last_attempt_the_feature_is_published_unreviewed()
    {
        await using var h = await ReviewingAsync(o => o.MaxTaskAttempts = 2);

        await h.PublishAsync(new TaskTimedOut(h.FeatureId, "review-1", 1, h.Time.GetUtcNow()));
        var again = await ReviewRequestAsync(h, 1, attempt: 2);
        Assert.Equal("verified-1", again.Commit);
        await h.PublishAsync(new TaskTimedOut(h.FeatureId, "review-1", 2, h.Time.GetUtcNow()));

        var publish = await PublishRequestAsync(h);
        Assert.Equal(ReviewOutcome.NotCompleted, publish.Review.Outcome);
        Assert.Contains("timed out", publish.Review.Note);
        Assert.Contains("after 2 attempts", publish.Review.Note);
    }

    [Fact]
    public async Task A_lost_reviewer_is_replaced_by_a_new_attempt()
    {
        await using var h = await ReviewingAsync();
        await h.PublishAsync(h.Started("review-1", 1, "reviewer@host/1"));
        await h.WaitForConsumedAsync<TaskStarted>();
        var seen = h.Time.GetUtcNow();

        await h.PublishAsync(new TaskLost(h.FeatureId, "review-1", 1, seen));

        await ReviewRequestAsync(h, 1, attempt: 2);
        Assert.Contains("lost: no heartbeat from reviewer@host/1", h.Instance!.FindTask("review-1")!.EarlierFailures[0]);
        Assert.Equal("Reviewing", h.Instance.CurrentState);
    }

    [Fact]
    public async Task Cancelling_during_the_review_cancels_the_review_task()
    {
        await using var h = await ReviewingAsync();

        await h.PublishAsync(new CancelFeature(h.FeatureId, "not needed"));

        await h.WaitForStateAsync(s => s.Cancelled);
        Assert.Equal(FeatureTaskState.Cancelled, h.Instance!.FindTask("review-1")!.State);
        await h.PublishAsync(Reviewed(h, 1, new ReviewReport(ReviewVerdict.Approve, "late", [])));
        await h.WaitForConsumedAsync<FeatureReviewed>();
        Assert.Empty(h.Harness.SentSoFar<PublishReviewedFeature>());
    }

    [Fact]
    public async Task With_the_review_off_the_consolidation_opens_the_pull_request_directly()
    {
        await using var h = await StartAsync(o => o.Review = false);
        await h.SubmitAsync();
        await h.PlanAsync(Implement);
        await h.PublishAsync(h.Completed("implement"));

        var consolidation = (await h.ConsolidationsAsync())[0];
        Assert.Null(consolidation.ReviewBranch);
        await h.PublishAsync(new PullRequestOpened(h.FeatureId, PullRequest(), Verified("c")));
        await h.WaitForStateAsync(s => s.Completed);
        Assert.Empty(h.Harness.SentSoFar<ReviewFeature>());
        Assert.False(h.Instance!.ReviewEnabled);
    }

    [Fact]
    public async Task A_request_turns_the_review_off_whatever_the_default()
    {
        await using var h = await StartAsync(o => o.Review = true);
        await h.SubmitAsync(review: false);
        await h.PlanAsync(Implement);
        await h.PublishAsync(h.Completed("implement"));

        Assert.Null((await h.ConsolidationsAsync())[0].ReviewBranch);
    }

    [Fact]
    public async Task A_review_the_saga_cannot_process_fails_the_feature_at_once()
    {
        await using var h = await ReviewingAsync();

        await h.PublishSagaFaultAsync<FeatureReviewed>(new FaultStub<FeatureReviewed>(
            Reviewed(h, 1, new ReviewReport(ReviewVerdict.Approve, "ok", [])), "the state could not be read"));

        await h.WaitForStateAsync(s => s.Failed);
        Assert.Contains("could not process FeatureReviewed", h.Instance!.FailureReason);
    }

    [Fact]
    public async Task Publishing_refused_because_the_review_branch_moved_fails_the_feature_with_the_reason()
    {
        await using var h = await ReviewingAsync();
        await h.PublishAsync(Reviewed(h, 1, new ReviewReport(ReviewVerdict.Approve, "ok", [])));
        await PublishRequestAsync(h);

        await h.PublishAsync(new ConsolidationFailed(h.FeatureId, "the review branch moved after verification", []));

        await h.WaitForStateAsync(s => s.Failed);
        Assert.Contains("the review branch moved", h.Instance!.FailureReason);
    }

    private static async Task<FeatureSagaHarness> ReviewingAsync(Action<FeatureWorkflowOptions>? configure = null)
    {
        var h = await StartAsync(configure);
        await h.SubmitAsync();
        await h.PlanAsync(Implement);
        await h.PublishAsync(h.Completed("implement"));
        await h.ConsolidationsAsync();
        await h.PublishAsync(new FeatureVerified(h.FeatureId, ReviewBranch(h, 1), Verified("verified-1")));
        await h.WaitForStateAsync(s => s.Reviewing);
        await ReviewRequestAsync(h, 1);
        return h;
    }

    private static string ReviewBranch(FeatureSagaHarness h, int round) => $"orchestrator/tasks/{h.FeatureId:N}/review-{round}";

    private static VerificationResult Verified(string commit) => new(true, "dotnet test", "Passed: 12") { Commit = commit, Sandboxed = true };

    private static PullRequestInfo PullRequest() => new(7, "https://forge/pr/7", "orchestrator/x", "main", "/repos/calculator.git", "local");

    private static FeatureReviewed Reviewed(FeatureSagaHarness h, int round, ReviewReport report, int attempt = 1) =>
        new(h.FeatureId, $"review-{round}", attempt, report, new TokenUsage(200, 40, 3));

    private static Task<ReviewFeature> ReviewRequestAsync(FeatureSagaHarness h, int round, int attempt = 1) =>
        Eventually.ValueAsync(
            () => h.Harness.SentSoFar<ReviewFeature>().FirstOrDefault(r => r.Task.TaskId == $"review-{round}" && r.Task.Attempt == attempt),
            $"review-{round} attempt {attempt} to be sent");

    private static Task<PublishReviewedFeature> PublishRequestAsync(FeatureSagaHarness h) =>
        Eventually.ValueAsync(() => h.Harness.SentSoFar<PublishReviewedFeature>().LastOrDefault(), "the reviewed feature to be published");
}

