using Orchestrator.Contracts;
using static Orchestrator.Tests.FeatureSagaHarness;

namespace Orchestrator.Tests;

/// <summary>
/// Messages delivered again (a lost acknowledgement, a planner that ran twice) change nothing the first delivery did
/// not: the fault suite's "every message delivered twice" scenario, case by case.
/// </summary>
public sealed class FeatureDuplicateSpecs
{
    private static readonly PlannedTask Implement = Planned("implement", AgentRole.Coder);

    [Fact]
    public async Task A_plan_delivered_again_before_the_work_repository_is_ready_counts_its_tokens_once()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync();
        var plan = new FeaturePlanned(h.FeatureId, "Add Power", "summary", "double Power(double, int)", [Implement], new TokenUsage(10, 5, 1));

        await h.PublishAsync(plan);
        await h.PublishAsync(plan with { Title = "A second plan" });
        await h.WaitForConsumedAsync<FeaturePlanned>(2);
        await h.PublishAsync(new WorkRepositoryPrepared(h.FeatureId, "http://merge/git/feature.git"));

        await h.DispatchedAsync("implement");
        await h.WaitForStateAsync(s => s.Executing);
        Assert.Equal(new TokenUsage(10, 5, 1), h.Instance!.Usage);
        Assert.Equal("Add Power", h.Instance.Title);
        Assert.Single(h.Dispatched());
    }
}
