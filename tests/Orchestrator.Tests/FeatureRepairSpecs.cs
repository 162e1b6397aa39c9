using MassTransit;
using MassTransit.Testing;
using Orchestrator.Features;
using Orchestrator.Contracts;
using Orchestrator.StateMachines;
using static Orchestrator.Tests.FeatureSagaHarness;

namespace Orchestrator.Tests;

/// <summary>The saga when the merged result needs repair: conflicts go to the Coder, failing verification gets fix rounds, both bounded.</summary>
public sealed class FeatureRepairSpecs
{
    private static readonly PlannedTask Implement = Planned("implement", AgentRole.Coder);
    private static readonly PlannedTask Document = Planned("document", AgentRole.Docs);

    [Fact]
    public async Task A_merge_conflict_sends_a_resolution_task_to_the_coder_and_consolidates_again()
    {
        await using var h = await StartAsync(o => o.MaxConflictRounds = 1);
        await h.SubmitAsync();
        await h.PlanAsync(Implement, Document);
        await h.PublishAsync(h.Completed("implement"));
        await h.PublishAsync(h.Completed("document"));
        await h.WaitForStateAsync(s => s.Consolidating);

        await h.PublishAsync(new MergeConflicted(h.FeatureId, "document", ["README.md"], "<<<<<<< HEAD\nA\n=======\nB\n>>>>>>> x"));
        await h.WaitForStateAsync(s => s.Executing);

        var resolution = await h.DispatchedAsync("resolve-conflicts-1");
        Assert.Single(h.Dispatched(), t => t.TaskId == "resolve-conflicts-1");
        Assert.Equal(TaskKind.ResolveConflicts, resolution.Kind);
        Assert.Equal(AgentRole.Coder, resolution.Role);
        Assert.Equal([$"orchestrator/tasks/{h.FeatureId:N}/implement", $"orchestrator/tasks/{h.FeatureId:N}/document"], resolution.DependencyBranches);
        Assert.Contains("README.md", resolution.Instructions);
        Assert.Contains("<<<<<<< HEAD", resolution.Instructions);

        await h.PublishAsync(h.Completed("resolve-conflicts-1"));
        await h.WaitForConsumedAsync<TaskCompleted>(3);
        await h.WaitForStateAsync(s => s.Consolidating);
        var consolidations = await h.ConsolidationsAsync(2);
        Assert.Equal(2, consolidations.Count);
        var again = consolidations[^1];
        Assert.Equal("resolve-conflicts-1", again.Tasks[^1].TaskId);
    }

    [Fact]
    public async Task Conflicts_that_remain_after_the_last_round_fail_the_feature_listing_the_files()
    {
        await using var h = await StartAsync(o => o.MaxConflictRounds = 1);
        await h.SubmitAsync();
        await h.PlanAsync(Implement);
        await h.PublishAsync(h.Completed("implement"));
        await h.WaitForStateAsync(s => s.Consolidating);
        await h.PublishAsync(new MergeConflicted(h.FeatureId, "implement", ["src/A.cs"], "hunks"));
        await h.WaitForStateAsync(s => s.Executing);
        await h.PublishAsync(h.Completed("resolve-conflicts-1"));
        await h.WaitForConsumedAsync<TaskCompleted>(2);
        await h.WaitForStateAsync(s => s.Consolidating);

        await h.PublishAsync(new MergeConflicted(h.FeatureId, "resolve-conflicts-1", ["src/A.cs", "README.md"], "hunks"));

        await h.WaitForStateAsync(s => s.Failed);
        Assert.Contains("Merge conflicts remain after 1 resolution round in: src/A.cs, README.md", h.Instance!.FailureReason);
    }

    [Fact]
    public async Task A_failed_resolution_task_fails_the_feature_naming_the_conflicting_files()
    {
        await using var h = await StartAsync(o => o.MaxTaskAttempts = 1);
        await h.SubmitAsync();
        await h.PlanAsync(Implement);
        await h.PublishAsync(h.Completed("implement"));
        await h.WaitForStateAsync(s => s.Consolidating);
        await h.PublishAsync(new MergeConflicted(h.FeatureId, "implement", ["src/A.cs"], "hunks"));
        await h.WaitForStateAsync(s => s.Executing);

        await h.PublishAsync(new TaskFailed(h.FeatureId, "resolve-conflicts-1", 1, "conflict markers remain in src/A.cs", TokenUsage.None));

        await h.WaitForStateAsync(s => s.Failed);
        Assert.StartsWith("The merge conflicts in src/A.cs could not be resolved.", h.Instance!.FailureReason);
    }

    [Fact]
    public async Task A_failing_verification_sends_a_fix_task_and_fails_after_the_last_round()
    {
        await using var h = await StartAsync(o => o.MaxFixRounds = 1);
        await h.SubmitAsync();
        await h.PlanAsync(Implement);
        await h.PublishAsync(h.Completed("implement"));
        await h.WaitForStateAsync(s => s.Consolidating);

        await h.PublishAsync(new VerificationFailed(h.FeatureId, new VerificationResult(false, "dotnet test", "Failed PowerTests.Zero")));
        await h.WaitForStateAsync(s => s.Executing);
        var fix = await h.DispatchedAsync("fix-verification-1");
        Assert.Single(h.Dispatched(), t => t.TaskId == "fix-verification-1");
        Assert.Equal(TaskKind.FixVerification, fix.Kind);
        Assert.Contains("Failed PowerTests.Zero", fix.Instructions);

        await h.PublishAsync(h.Completed("fix-verification-1"));
        await h.WaitForConsumedAsync<TaskCompleted>(2);
        await h.WaitForStateAsync(s => s.Consolidating);
        await h.PublishAsync(new VerificationFailed(h.FeatureId, new VerificationResult(false, "dotnet test", "Failed again")));

        await h.WaitForStateAsync(s => s.Failed);
        Assert.Contains("still fails after 1 fix round", h.Instance!.FailureReason);
        Assert.Contains("Failed again", h.Instance.FailureReason);
    }
}
