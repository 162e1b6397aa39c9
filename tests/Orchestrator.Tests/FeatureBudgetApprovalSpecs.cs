using MassTransit.Testing;
using Orchestrator.Contracts;
using Orchestrator.Features;
using Orchestrator.StateMachines;
using static Orchestrator.Tests.FeatureSagaHarness;

namespace Orchestrator.Tests;

/// <summary>
/// The saga under <c>Features:ApproveBudgetIncrease</c>: a feature whose budget runs out waits for a larger one, keeps
/// what its other tasks finish meanwhile, and tries the task that ran out again once the budget is raised.
/// </summary>
public sealed class FeatureBudgetApprovalSpecs
{
    private static readonly PlannedTask Implement = Planned("implement", AgentRole.Coder);
    private static readonly PlannedTask Document = Planned("document", AgentRole.Docs);
    private static readonly TaskFailed OutOfBudget = new(Guid.Empty, "implement", 1, "budget exceeded: the task spent 500 of its 492 tokens",
        new TokenUsage(450, 50, 3)) { BudgetExceeded = true };

    [Fact]
    public async Task A_task_out_of_budget_makes_the_feature_wait_for_a_larger_one()
    {
        await using var h = await OutOfBudgetAsync();

        var waiting = await h.PublishedAsync<FeatureAwaitingApproval>(m => m.FeatureId == h.FeatureId);
        Assert.Equal(ApprovalSubject.Budget, waiting.Subject);
        Assert.Equal((1_000, 515), (waiting.TokenBudget, waiting.TokensUsed));
        Assert.StartsWith("Token budget exceeded: task 'implement' (Coder)", waiting.Reason);
        Assert.Equal(h.Time.GetUtcNow() + TimeSpan.FromHours(24), h.Instance!.StageDeadline);
        Assert.Null(h.Instance.FailureReason);
        Assert.Equal(FeatureTaskState.Failed, h.Instance.FindTask("implement")!.State);
    }

    [Fact]
    public async Task A_larger_budget_tries_the_task_again_with_a_share_of_it()
    {
        await using var h = await OutOfBudgetAsync();

        await h.PublishAsync(new ApproveFeature(h.FeatureId, "first") { TokenBudget = 10_515 });

        await h.WaitForStateAsync(s => s.Executing);
        var retry = await h.DispatchedAsync("implement", attempt: 2);
        // 10,000 tokens remain, shared by the two open tasks (the document task still runs).
        Assert.Equal(5_000, retry.TokenBudget);
        Assert.Equal(10_515, h.Instance!.TokenBudget);
        Assert.Null(h.Instance.StageDeadline);
        Assert.Single(h.Instance.FindTask("implement")!.EarlierFailures, f => f.Contains("budget exceeded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_budget_no_larger_than_what_was_spent_changes_nothing()
    {
        await using var h = await OutOfBudgetAsync();

        await h.PublishAsync(new ApproveFeature(h.FeatureId, "first") { TokenBudget = 515 });
        await h.WaitForConsumedAsync<ApproveFeature>();

        Assert.Equal(nameof(FeatureStateMachine.AwaitingBudget), h.Instance!.CurrentState);
        Assert.Equal(1_000, h.Instance.TokenBudget);
        Assert.Equal(2, h.Dispatched().Count);
    }

    [Fact]
    public async Task Work_finished_while_waiting_is_kept_and_consolidated_after_the_retry()
    {
        await using var h = await OutOfBudgetAsync();

        await h.PublishAsync(h.Completed("document"));
        await h.WaitForConsumedAsync<TaskCompleted>();
        await h.PublishAsync(new ApproveFeature(h.FeatureId, "first") { TokenBudget = 5_000 });
        await h.DispatchedAsync("implement", attempt: 2);
        await h.PublishAsync(h.Completed("implement", attempt: 2));

        await h.WaitForStateAsync(s => s.Consolidating);
        Assert.Equal(3, h.Dispatched().Count);
    }

    [Fact]
    public async Task Rejecting_the_larger_budget_fails_the_feature_with_the_budget_reason()
    {
        await using var h = await OutOfBudgetAsync();

        await h.PublishAsync(new RejectFeature(h.FeatureId, "too expensive", "first"));

        await h.WaitForStateAsync(s => s.Failed);
        Assert.StartsWith("Token budget exceeded: task 'implement' (Coder) ran out of its share", h.Instance!.FailureReason);
        Assert.EndsWith("A larger budget was refused: too expensive", h.Instance.FailureReason);
        Assert.Equal(FeatureTaskState.Cancelled, h.Instance.FindTask("document")!.State);
    }

    [Fact]
    public async Task A_larger_budget_not_approved_in_time_fails_the_feature()
    {
        await using var h = await OutOfBudgetAsync();

        h.Time.Advance(TimeSpan.FromHours(24));
        await h.Monitor.ScanAsync(CancellationToken.None);

        await h.WaitForStateAsync(s => s.Failed);
        Assert.EndsWith("A larger budget was not approved within 1.00:00:00.", h.Instance!.FailureReason);
    }

    [Fact]
    public async Task A_result_the_saga_cannot_process_while_waiting_fails_the_feature()
    {
        await using var h = await OutOfBudgetAsync();

        await h.PublishSagaFaultAsync<TaskCompleted>(new FaultStub<TaskCompleted>(h.Completed("document"), "the state could not be read"));

        await h.WaitForStateAsync(s => s.Failed);
        Assert.Contains("could not process TaskCompleted", h.Instance!.FailureReason);
    }

    private static async Task<FeatureSagaHarness> OutOfBudgetAsync()
    {
        var h = await StartAsync(o => o.ApproveBudgetIncrease = true);
        await h.SubmitAsync(tokenBudget: 1_000);
        await h.PlanAsync(Implement, Document);
        await h.DispatchedAsync(2);
        await h.PublishAsync(OutOfBudget with { FeatureId = h.FeatureId });
        await h.WaitForStateAsync(s => s.AwaitingBudget);
        return h;
    }
}
