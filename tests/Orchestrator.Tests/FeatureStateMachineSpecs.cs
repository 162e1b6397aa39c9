using MassTransit;
using MassTransit.Testing;
using Orchestrator.Features;
using Orchestrator.Contracts;
using Orchestrator.StateMachines;
using static Orchestrator.Tests.FeatureSagaHarness;

namespace Orchestrator.Tests;

public sealed class FeatureStateMachineSpecs
{
    private static readonly PlannedTask Implement = Planned("implement", AgentRole.Coder);
    private static readonly PlannedTask Test = Planned("test", AgentRole.Tester, "implement");
    private static readonly PlannedTask Document = Planned("document", AgentRole.Docs);

    [Fact]
    public async Task Submitting_a_feature_prepares_the_work_repository_and_then_asks_the_planner_to_read_it()
    {
        await using var h = await StartAsync();
        var key = Orchestrator.Messaging.StagingCredentials.NewKey();

        await h.SubmitAsync();

        await h.WaitForStateAsync(s => s.Planning);
        await h.Harness.SentAsync<PrepareWorkRepository>(m => m.FeatureId == h.FeatureId);
        Assert.Empty(h.Harness.SentSoFar<PlanFeature>());

        await h.PublishAsync(new WorkRepositoryPrepared(h.FeatureId, "http://merge/git/feature.git") { StagingKey = key });
        var plan = await h.Harness.SentAsync<PlanFeature>(m => m.FeatureId == h.FeatureId);
        Assert.Equal("http://merge/git/feature.git", plan.WorkRepository);
        // A reader's credential of this feature: it reads the staging repository and may push nothing.
        var grant = Orchestrator.Messaging.StagingCredentials.Verify(key, plan.ReadCredential);
        Assert.NotNull(grant);
        Assert.True(grant.IsReader);
        Assert.Equal(h.FeatureId, grant.FeatureId);
        Assert.DoesNotContain(plan.ReadCredential!, plan.ToString());

        // Preparation delivered again asks for no second plan.
        await h.PublishAsync(new WorkRepositoryPrepared(h.FeatureId, "http://merge/git/feature.git") { StagingKey = key });
        await h.WaitForConsumedAsync<WorkRepositoryPrepared>(2);
        Assert.Single(h.Harness.SentSoFar<PlanFeature>());
    }

    [Fact]
    public async Task The_plans_files_reach_the_agents_and_the_instruction_files_used_reach_the_consolidation()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync();
        await h.PublishAsync(new WorkRepositoryPrepared(h.FeatureId, "http://merge/git/feature.git"));
        await h.PublishAsync(new FeaturePlanned(
            h.FeatureId, "Add Power", "summary", "double Power(double, int)",
            [Implement with { Files = ["src/Calculator/Arithmetic.cs"] }], new TokenUsage(10, 5, 1))
        {
            InstructionFiles = ["AGENTS.md"],
        });

        var assignment = await h.DispatchedAsync("implement");
        Assert.Equal(["src/Calculator/Arithmetic.cs"], assignment.Files);
        await h.PublishAsync(h.Completed("implement") with { InstructionFiles = ["src/AGENTS.md", "AGENTS.md"] });

        var consolidation = Assert.Single(await h.ConsolidationsAsync(1));
        Assert.Equal(["AGENTS.md", "src/AGENTS.md"], consolidation.InstructionFiles);
    }

    [Fact]
    public async Task Dispatches_independent_tasks_in_parallel_and_holds_back_dependent_ones()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync();

        await h.PlanAsync(Implement, Test, Document);

        var dispatched = await h.DispatchedAsync(2);
        await h.WaitForConsumedAsync<FeaturePlanned>();
        Assert.Equal(["document", "implement"], dispatched.Select(t => t.TaskId).Order());
        Assert.All(dispatched, t => Assert.Equal(1, t.Attempt));
        Assert.Equal(FeatureTaskState.Pending, h.Instance!.FindTask("test")!.State);
    }

    [Fact]
    public async Task Dispatches_a_dependent_task_after_its_dependency_with_the_dependency_branch()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync();
        await h.PlanAsync(Implement, Test, Document);

        await h.PublishAsync(h.Completed("implement"));

        var tester = await h.DispatchedAsync("test");
        await h.WaitForConsumedAsync<TaskCompleted>();
        Assert.Single(h.Dispatched(), t => t.TaskId == "test");
        Assert.Equal(AgentRole.Tester, tester.Role);
        Assert.Equal([$"orchestrator/tasks/{h.FeatureId:N}/implement"], tester.DependencyBranches);
        Assert.Equal("double Power(double, int)", tester.Interface);
    }

    [Fact]
    public async Task Consolidates_in_dependency_order_when_every_task_is_done_and_completes_on_the_pull_request()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync();
        await h.PlanAsync(Test, Document, Implement);

        await h.PublishAsync(h.Completed("implement"));
        await h.PublishAsync(h.Completed("document"));
        await h.WaitForConsumedAsync<TaskCompleted>(2);
        await h.PublishAsync(h.Completed("test"));
        await h.WaitForStateAsync(s => s.Consolidating);

        var consolidate = Assert.Single(await h.ConsolidationsAsync());
        // Dependencies first; otherwise plan order.
        Assert.Equal(["document", "implement", "test"], consolidate.Tasks.Select(t => t.TaskId));
        Assert.Equal($"orchestrator/{h.FeatureId:N}", consolidate.FeatureBranch);
        Assert.Equal(new TokenUsage(310, 65, 7), consolidate.Usage);
        Assert.Equal("0.001425 USD", consolidate.Cost);

        var pullRequest = new PullRequestInfo(1, "file:///pulls/1.json", consolidate.FeatureBranch, "main", "/repos/calculator.git", "local");
        var submittedAt = h.Instance!.SubmittedAt;
        h.Time.Advance(TimeSpan.FromMinutes(3));
        await h.PublishAsync(new PullRequestOpened(h.FeatureId, pullRequest, new VerificationResult(true, "dotnet test", "Passed!")));

        await h.WaitForStateAsync(s => s.Completed);
        Assert.Equal(pullRequest, h.Instance!.PullRequest);
        var completed = await h.PublishedAsync<FeatureCompleted>(m => m.FeatureId == h.FeatureId);
        Assert.Equal((submittedAt, submittedAt.AddMinutes(3)), (completed.SubmittedAt, completed.EndedAt));
    }

    [Fact]
    public async Task A_duplicate_task_completed_is_harmless()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync();
        await h.PlanAsync(Implement, Test);

        await h.PublishAsync(h.Completed("implement"));
        await h.PublishAsync(h.Completed("implement"));
        await h.DispatchedAsync("test");
        await h.WaitForConsumedAsync<TaskCompleted>(2);

        Assert.Single(h.Dispatched(), t => t.TaskId == "test");
        var implement = h.Instance!.FindTask("implement")!;
        Assert.Equal(1, implement.Attempts);
        Assert.Equal(new TokenUsage(100, 20, 2), implement.Usage);
        Assert.Equal("Executing", h.Instance.CurrentState);
    }

    [Fact]
    public async Task A_failed_task_is_retried_and_a_late_result_of_the_failed_attempt_is_ignored()
    {
        await using var h = await StartAsync(o => o.MaxTaskAttempts = 2);
        await h.SubmitAsync();
        await h.PlanAsync(Implement);

        await h.PublishAsync(new TaskFailed(h.FeatureId, "implement", 1, "build broke", TokenUsage.None));
        await h.DispatchedAsync("implement", attempt: 2);
        await h.WaitForConsumedAsync<TaskFailed>();
        Assert.Equal([1, 2], h.Dispatched().Select(t => t.Attempt).Order());

        var retried = h.Instance!.FindTask("implement")!;
        Assert.Equal(FeatureTaskState.Queued, retried.State);
        Assert.Equal(["attempt 1: build broke"], retried.EarlierFailures);

        await h.PublishAsync(h.Completed("implement", attempt: 1));
        await h.WaitForConsumedAsync<TaskCompleted>();
        Assert.Equal(FeatureTaskState.Queued, h.Instance!.FindTask("implement")!.State);

        await h.PublishAsync(h.Completed("implement", attempt: 2));
        await h.WaitForStateAsync(s => s.Consolidating);
    }

    [Fact]
    public async Task A_task_that_fails_every_attempt_fails_the_feature_with_the_reason()
    {
        await using var h = await StartAsync(o => o.MaxTaskAttempts = 1);
        await h.SubmitAsync();
        await h.PlanAsync(Implement, Document);

        await h.PublishAsync(new TaskFailed(h.FeatureId, "implement", 1, "the build failed: CS1002", TokenUsage.None));

        await h.WaitForStateAsync(s => s.Failed);
        var feature = h.Instance!;
        Assert.Contains("'implement' (Coder) failed after 1 attempt: the build failed: CS1002", feature.FailureReason);
        Assert.Equal(FeatureTaskState.Failed, feature.FindTask("implement")!.State);
        Assert.Equal(FeatureTaskState.Cancelled, feature.FindTask("document")!.State);
        var failed = await h.PublishedAsync<FeatureFailed>(m => m.FeatureId == h.FeatureId);
        Assert.Equal(feature.FailureReason, failed.Reason);
        Assert.Equal((feature.SubmittedAt, h.Time.GetUtcNow()), (failed.SubmittedAt, failed.EndedAt));
    }

    [Fact]
    public async Task A_task_past_its_deadline_times_out_and_fails_the_feature()
    {
        await using var h = await StartAsync(o =>
        {
            o.TaskTimeout = TimeSpan.FromMinutes(5);
            o.MaxTaskAttempts = 1;
        });
        await h.SubmitAsync();
        await h.PlanAsync(Implement);

        await h.Monitor.ScanAsync(CancellationToken.None);
        Assert.Empty(h.Harness.PublishedSoFar<TaskTimedOut>());
        Assert.Equal("Executing", h.Instance!.CurrentState);

        h.Time.Advance(TimeSpan.FromMinutes(6));
        await h.Monitor.ScanAsync(CancellationToken.None);

        await h.WaitForStateAsync(s => s.Failed);
        Assert.Contains("timed out", h.Instance!.FailureReason);
        await h.PublishedAsync<TaskTimedOut>(m => m.TaskId == "implement");
    }

    [Fact]
    public async Task Planning_past_its_deadline_fails_the_feature()
    {
        await using var h = await StartAsync(o => o.PlanningTimeout = TimeSpan.FromMinutes(1));
        await h.SubmitAsync();
        await h.WaitForStateAsync(s => s.Planning);

        h.Time.Advance(TimeSpan.FromMinutes(2));
        await h.Monitor.ScanAsync(CancellationToken.None);

        await h.WaitForStateAsync(s => s.Failed);
        Assert.Contains("Planning did not finish", h.Instance!.FailureReason);
    }

    [Fact]
    public async Task A_faulted_agent_fails_the_feature_with_the_exception()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync();
        await h.PlanAsync(Implement);
        var assignment = await h.DispatchedAsync("implement");

        await h.PublishAsync<Fault<ImplementTask>>(new FaultStub<ImplementTask>(new ImplementTask(assignment), "disk full"));

        await h.WaitForStateAsync(s => s.Failed);
        Assert.Contains("crashed", h.Instance!.FailureReason);
        Assert.Contains("disk full", h.Instance.FailureReason);
    }

    [Fact]
    public async Task A_rejected_plan_fails_the_feature_with_the_reason()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync();

        await h.PublishAsync(new FeaturePlanRejected(h.FeatureId, "the plan has no coder task", TokenUsage.None));

        await h.WaitForStateAsync(s => s.Failed);
        Assert.Contains("the plan has no coder task", h.Instance!.FailureReason);
    }

    [Fact]
    public async Task Cancelling_stops_the_feature_and_later_results_change_nothing()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync();
        await h.PlanAsync(Implement, Document);

        await h.PublishAsync(new CancelFeature(h.FeatureId, "changed my mind"));
        await h.WaitForStateAsync(s => s.Cancelled);
        await h.PublishedAsync<FeatureCancelled>(m => m.FeatureId == h.FeatureId);

        await h.PublishAsync(h.Completed("implement"));
        await h.PublishAsync(h.Completed("document"));
        await h.WaitForConsumedAsync<TaskCompleted>(2);

        Assert.Equal("Cancelled", h.Instance!.CurrentState);
        Assert.All(h.Instance.Tasks, t => Assert.Equal(FeatureTaskState.Cancelled, t.State));
        Assert.Empty(h.Harness.SentSoFar<ConsolidateFeature>());
    }

    [Fact]
    public async Task A_failed_consolidation_fails_the_feature_with_the_reason()
    {
        await using var h = await StartAsync();
        await h.SubmitAsync();
        await h.PlanAsync(Implement);
        await h.PublishAsync(h.Completed("implement"));
        await h.WaitForStateAsync(s => s.Consolidating);

        await h.PublishAsync(new ConsolidationFailed(h.FeatureId, "task 'implement' conflicts in: README.md", ["README.md"]));

        await h.WaitForStateAsync(s => s.Failed);
        Assert.Contains("conflicts in: README.md", h.Instance!.FailureReason);
    }
}
