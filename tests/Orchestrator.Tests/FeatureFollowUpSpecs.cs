using MassTransit.Testing;
using Orchestrator.Contracts;
using static Orchestrator.Tests.FeatureSagaHarness;

namespace Orchestrator.Tests;

/// <summary>
/// The saga after its pull request: a reviewer's follow-up runs one Coder task on the pull request's branch and
/// consolidates onto where the branch was pushed, once per request, within the configured number.
/// </summary>
public sealed class FeatureFollowUpSpecs
{
    private static readonly PlannedTask Implement = Planned("implement", AgentRole.Coder);
    private static readonly PlannedTask Test = Planned("test", AgentRole.Tester, "implement");

    [Fact]
    public async Task A_follow_up_runs_a_coder_task_on_the_pull_requests_branch_and_updates_the_same_pull_request()
    {
        await using var h = await CompletedAsync();

        await h.PublishAsync(new RequestFollowUp(h.FeatureId, "review-comment-1", "Name the algorithm.\nIn the summary.", "octocat"));
        await h.WaitForStateAsync(s => s.FollowingUp);
        var prepare = await h.Harness.SentAsync<PrepareWorkRepository>(m => m.SeedBranch is not null);
        Assert.Equal($"orchestrator/{h.FeatureId:N}", prepare.SeedBranch);
        Assert.DoesNotContain(h.Dispatched(), t => t.TaskId == "follow-up-1");

        await h.PublishAsync(new WorkRepositoryPrepared(h.FeatureId, "http://merge/git/again.git"));
        var followUp = await h.DispatchedAsync("follow-up-1");
        Assert.Equal((TaskKind.FollowUp, AgentRole.Coder, "http://merge/git/again.git"), (followUp.Kind, followUp.Role, followUp.Repository));
        Assert.Equal("Follow-up: Name the algorithm.", followUp.Title);
        Assert.Contains("octocat", followUp.Instructions);
        // The pull request's branch stands for the tasks it holds: nothing builds on their (deleted) task branches.
        Assert.Equal([$"orchestrator/{h.FeatureId:N}"], followUp.DependencyBranches);

        await h.PublishAsync(h.Completed("follow-up-1"));
        var consolidation = (await h.ConsolidationsAsync(2))[^1];
        Assert.Equal("verified-1", consolidation.StartFrom);
        Assert.Equal(["implement", "test"], consolidation.AlreadyMerged);
        Assert.Equal(["implement", "test", "follow-up-1"], consolidation.Tasks.Select(t => t.TaskId));

        await h.PublishAsync(Opened(h, "verified-2"));
        await h.WaitForConsumedAsync<PullRequestOpened>(2);
        await h.WaitForStateAsync(s => s.Completed);
        Assert.Equal(["implement", "test", "follow-up-1"], h.Instance!.MergedTasks);
        Assert.Equal("verified-2", h.Instance.PullRequestHead);
    }

    [Fact]
    public async Task The_same_request_delivered_again_adds_no_second_task_and_the_limit_refuses_more()
    {
        await using var h = await CompletedAsync(o => o.MaxFollowUps = 1);
        var request = new RequestFollowUp(h.FeatureId, "review-comment-1", "Rename it.", "octocat");

        await h.PublishAsync(request);
        await h.WaitForStateAsync(s => s.FollowingUp);
        await h.PublishAsync(new WorkRepositoryPrepared(h.FeatureId, "http://merge/git/again.git"));
        await h.DispatchedAsync("follow-up-1");
        await h.PublishAsync(h.Completed("follow-up-1"));
        await h.PublishAsync(Opened(h, "verified-2"));
        await h.WaitForConsumedAsync<PullRequestOpened>(2);
        await h.WaitForStateAsync(s => s.Completed);

        await h.PublishAsync(request);
        await h.PublishAsync(request with { RequestId = "review-comment-2" });
        await h.WaitForConsumedAsync<RequestFollowUp>(3);

        Assert.Equal(nameof(h.Saga.StateMachine.Completed), h.Instance!.CurrentState);
        Assert.Single(h.Instance.Tasks, t => t.Kind == TaskKind.FollowUp);
        Assert.Equal(["review-comment-1"], h.Instance.FollowUps);
    }

    [Fact]
    public async Task A_pull_request_branch_that_cannot_be_prepared_again_fails_the_follow_up_with_the_reason()
    {
        await using var h = await CompletedAsync();

        await h.PublishAsync(new RequestFollowUp(h.FeatureId, "review-comment-1", "More.", "octocat"));
        await h.WaitForStateAsync(s => s.FollowingUp);
        await h.PublishAsync(new WorkRepositoryFailed(h.FeatureId, "the pull request's branch could not be fetched"));

        await h.WaitForStateAsync(s => s.Failed);
        Assert.Equal("The follow-up could not start: the work repository could not be prepared: the pull request's branch could not be fetched",
            h.Instance!.FailureReason);
    }

    [Fact]
    public async Task A_follow_up_for_a_feature_still_running_changes_nothing()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync();
        await h.PlanAsync(Implement);

        await h.PublishAsync(new RequestFollowUp(h.FeatureId, "review-comment-1", "More.", "octocat"));
        await h.WaitForConsumedAsync<RequestFollowUp>();

        Assert.Equal(nameof(h.Saga.StateMachine.Executing), h.Instance!.CurrentState);
        Assert.Empty(h.Instance.FollowUps);
    }

    /// <summary>A feature whose two tasks are merged into an open pull request pushed at <c>verified-1</c>.</summary>
    private static async Task<FeatureSagaHarness> CompletedAsync(Action<Features.FeatureWorkflowOptions>? configure = null)
    {
        var h = await StartAsync(configure);
        await h.SubmitAsync();
        await h.PlanAsync(Implement, Test);
        await h.PublishAsync(h.Completed("implement"));
        await h.DispatchedAsync("test");
        await h.PublishAsync(h.Completed("test"));
        await h.WaitForStateAsync(s => s.Consolidating);
        await h.PublishAsync(Opened(h, "verified-1"));
        await h.WaitForStateAsync(s => s.Completed);
        return h;
    }

    private static PullRequestOpened Opened(FeatureSagaHarness h, string commit) => new(h.FeatureId,
        new PullRequestInfo(12, "https://github.com/octo/calc/pull/12", $"orchestrator/{h.FeatureId:N}", "main", "/repos/calculator.git", "github"),
        new VerificationResult(true, "dotnet test", "ok") { Commit = commit });
}
