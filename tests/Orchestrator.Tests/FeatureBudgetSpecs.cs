using MassTransit;
using MassTransit.Testing;
using Orchestrator.Features;
using Orchestrator.Contracts;
using Orchestrator.StateMachines;
using static Orchestrator.Tests.FeatureSagaHarness;

namespace Orchestrator.Tests;

/// <summary>The saga and the feature's token budget: shared out per task, and a feature that runs out fails with the reason.</summary>
public sealed class FeatureBudgetSpecs
{
    private static readonly PlannedTask Implement = Planned("implement", AgentRole.Coder);
    private static readonly PlannedTask Document = Planned("document", AgentRole.Docs);

    [Fact]
    public async Task Each_task_gets_an_equal_share_of_the_budget_that_remains()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync(tokenBudget: 1_000);

        await h.PlanAsync(Implement, Document);

        // The plan spent 15 tokens; 985 remain for two tasks.
        var dispatched = await h.DispatchedAsync(2);
        Assert.All(dispatched, t => Assert.Equal(492, t.TokenBudget));
    }

    [Fact]
    public async Task A_task_out_of_budget_fails_the_feature_without_a_retry()
    {
        await using var h = await StartAsync(o => o.MaxTaskAttempts = 3);
        await h.SubmitAsync(tokenBudget: 1_000);
        await h.PlanAsync(Implement);

        await h.PublishAsync(new TaskFailed(h.FeatureId, "implement", 1, "budget exceeded: the task spent 990 of its 985 tokens before finishing",
            new TokenUsage(900, 90, 3)) { BudgetExceeded = true });

        await h.WaitForStateAsync(s => s.Failed);
        Assert.StartsWith("Token budget exceeded: task 'implement' (Coder)", h.Instance!.FailureReason);
        Assert.Contains("1005 of its 1000 tokens", h.Instance.FailureReason);
        Assert.Single(h.Dispatched());
    }

    [Fact]
    public async Task A_plan_that_spends_the_whole_budget_fails_the_feature()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync(tokenBudget: 10);

        await h.PublishAsync(new WorkRepositoryPrepared(h.FeatureId, "http://merge/git/feature.git"));
        await h.PublishAsync(new FeaturePlanned(h.FeatureId, "t", "s", null, [Implement], new TokenUsage(10, 5, 1)));

        await h.WaitForStateAsync(s => s.Failed);
        Assert.Contains("planning alone spent 15 of the feature's 10 tokens", h.Instance!.FailureReason);
        Assert.Empty(h.Dispatched());
    }
}
