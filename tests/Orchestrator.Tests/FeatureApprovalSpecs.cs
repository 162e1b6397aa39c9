using MassTransit.Testing;
using Orchestrator.Contracts;
using Orchestrator.Features;
using Orchestrator.StateMachines;
using static Orchestrator.Tests.FeatureSagaHarness;

namespace Orchestrator.Tests;

/// <summary>The saga and plan approval: a feature that asks for it waits after planning, dispatching nothing, until approved.</summary>
public sealed class FeatureApprovalSpecs
{
    private static readonly PlannedTask Implement = Planned("implement", AgentRole.Coder);
    private static readonly PlannedTask Test = Planned("test", AgentRole.Tester, "implement");

    [Fact]
    public async Task A_feature_that_asks_for_approval_waits_after_planning_and_dispatches_nothing()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync(approvePlan: true);

        await h.PrepareAndPlanAsync(null, Implement, Test);

        await h.WaitForStateAsync(s => s.AwaitingApproval);
        var waiting = await h.PublishedAsync<FeatureAwaitingApproval>(m => m.FeatureId == h.FeatureId);
        Assert.Equal(ApprovalSubject.Plan, waiting.Subject);
        Assert.Equal(["implement", "test"], waiting.Tasks.Select(t => t.TaskId));
        Assert.Equal(h.Time.GetUtcNow() + TimeSpan.FromHours(24), waiting.Deadline);
        Assert.Equal(waiting.Deadline, h.Instance!.StageDeadline);
        Assert.All(h.Instance.Tasks, t => Assert.Equal(FeatureTaskState.Pending, t.State));
        Assert.Empty(h.Dispatched());
    }

    [Fact]
    public async Task Waits_only_once_both_the_plan_and_the_work_repository_are_ready()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync(approvePlan: true);

        await h.PublishAsync(new FeaturePlanned(h.FeatureId, "Add Power", "s", null, [Implement], new TokenUsage(1, 1, 1)));
        await h.WaitForConsumedAsync<FeaturePlanned>();
        Assert.Equal(nameof(FeatureStateMachine.Planning), h.Instance!.CurrentState);

        await h.PublishAsync(new WorkRepositoryPrepared(h.FeatureId, "http://merge/git/feature.git"));
        await h.WaitForStateAsync(s => s.AwaitingApproval);
    }

    [Fact]
    public async Task The_configured_default_asks_for_approval_and_a_request_can_decline_it()
    {
        await using var waits = await StartAsync(o => o.RequirePlanApproval = true);
        await using var declines = await StartAsync(o => o.RequirePlanApproval = true);
        await waits.SubmitAsync();
        await declines.SubmitAsync(approvePlan: false);

        await waits.PrepareAndPlanAsync(null, Implement);
        await declines.PrepareAndPlanAsync(null, Implement);

        await waits.WaitForStateAsync(s => s.AwaitingApproval);
        await declines.WaitForStateAsync(s => s.Executing);
    }

    [Fact]
    public async Task Approving_moves_the_feature_to_executing_and_dispatches_the_ready_tasks()
    {
        await using var h = await AwaitingApprovalAsync();

        await h.PublishAsync(new ApproveFeature(h.FeatureId, "first"));

        await h.WaitForStateAsync(s => s.Executing);
        var dispatched = Assert.Single(await h.DispatchedAsync(1));
        Assert.Equal("implement", dispatched.TaskId);
        Assert.Null(h.Instance!.StageDeadline);
    }

    [Fact]
    public async Task An_edited_plan_replaces_the_planners_with_hidden_characters_taken_out()
    {
        await using var h = await AwaitingApprovalAsync();
        var edited = new EditedPlan("Add Power, edited", "edited summary", "double Pow(double, int)",
        [
            new PlannedTask("implement-pow", AgentRole.Coder, "Implement Pow", "Write Pow\u202E please", []),
            new PlannedTask("document-pow", AgentRole.Docs, "Document Pow", "Document it", []),
        ]);

        await h.PublishAsync(new ApproveFeature(h.FeatureId, "first") { Plan = edited, TokenBudget = 50_000 });

        await h.WaitForStateAsync(s => s.Executing);
        var dispatched = await h.DispatchedAsync(2);
        Assert.Equal(["document-pow", "implement-pow"], dispatched.Select(t => t.TaskId).Order());
        Assert.Equal("Write Pow please", dispatched.Single(t => t.TaskId == "implement-pow").Instructions);
        Assert.All(dispatched, t => Assert.Equal("double Pow(double, int)", t.Interface));
        Assert.Equal("Add Power, edited", h.Instance!.Title);
        Assert.Equal(50_000, h.Instance.TokenBudget);
    }

    [Fact]
    public async Task An_invalid_edited_plan_is_refused_and_changes_nothing()
    {
        await using var h = await AwaitingApprovalAsync();
        var cyclic = new EditedPlan("t", "s", null,
        [
            new PlannedTask("a", AgentRole.Coder, "A", "do a", ["b"]),
            new PlannedTask("b", AgentRole.Tester, "B", "do b", ["a"]),
        ]);

        await h.PublishAsync(new ApproveFeature(h.FeatureId, "first") { Plan = cyclic });
        await h.WaitForConsumedAsync<ApproveFeature>();

        Assert.Equal(nameof(FeatureStateMachine.AwaitingApproval), h.Instance!.CurrentState);
        Assert.Equal(["implement", "test"], h.Instance.Tasks.Select(t => t.TaskId));
        Assert.Equal("Add Power", h.Instance.Title);
        Assert.Empty(h.Dispatched());
    }

    [Fact]
    public async Task Rejecting_fails_the_feature_with_the_reason()
    {
        await using var h = await AwaitingApprovalAsync();

        await h.PublishAsync(new RejectFeature(h.FeatureId, "split it in two", "first"));

        await h.WaitForStateAsync(s => s.Failed);
        Assert.Equal("The plan was rejected: split it in two", h.Instance!.FailureReason);
        await h.PublishedAsync<FeatureFailed>(m => m.FeatureId == h.FeatureId && m.Reason == h.Instance.FailureReason);
        Assert.Null(h.Instance.StageDeadline);
        Assert.Empty(h.Dispatched());
    }

    [Fact]
    public async Task A_plan_not_approved_in_time_fails_the_feature()
    {
        await using var h = await AwaitingApprovalAsync(o => o.ApprovalTimeout = TimeSpan.FromHours(2));

        h.Time.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1));
        await h.Monitor.ScanAsync(CancellationToken.None);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.Monitor.ScanAsync(CancellationToken.None);

        await h.WaitForStateAsync(s => s.Failed);
        Assert.Equal(1, h.Saga.Consumed.ConsumedSoFar<FeatureStageTimedOut>());
        Assert.Equal("The plan was not approved within 02:00:00.", h.Instance!.FailureReason);
        Assert.Empty(h.Dispatched());
    }

    [Fact]
    public async Task A_feature_awaiting_approval_can_be_cancelled_and_a_late_approval_changes_nothing()
    {
        await using var h = await AwaitingApprovalAsync();

        await h.PublishAsync(new CancelFeature(h.FeatureId, "not now"));
        await h.WaitForStateAsync(s => s.Cancelled);
        await h.PublishAsync(new ApproveFeature(h.FeatureId, "first"));
        await h.WaitForConsumedAsync<ApproveFeature>();

        Assert.Equal(nameof(FeatureStateMachine.Cancelled), h.Instance!.CurrentState);
        Assert.All(h.Instance.Tasks, t => Assert.Equal(FeatureTaskState.Cancelled, t.State));
        Assert.Empty(h.Dispatched());
    }

    [Fact]
    public async Task An_approval_for_a_feature_that_does_not_wait_changes_nothing()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync();
        await h.PlanAsync(Implement);
        await h.DispatchedAsync(1);

        await h.PublishAsync(new ApproveFeature(h.FeatureId, "first") { TokenBudget = 5 });
        await h.WaitForConsumedAsync<ApproveFeature>();

        Assert.Equal(nameof(FeatureStateMachine.Executing), h.Instance!.CurrentState);
        Assert.NotEqual(5, h.Instance.TokenBudget);
        Assert.Single(h.Dispatched());
    }

    private static async Task<FeatureSagaHarness> AwaitingApprovalAsync(Action<FeatureWorkflowOptions>? configure = null)
    {
        var h = await StartAsync(configure);
        await h.SubmitAsync(approvePlan: true);
        await h.PrepareAndPlanAsync(null, Implement, Test);
        await h.WaitForStateAsync(s => s.AwaitingApproval);
        return h;
    }
}
