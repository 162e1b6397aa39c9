using Orchestrator.Contracts;
using Orchestrator.Features;

namespace Orchestrator.Tests;

public sealed class FeaturePlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static FeaturePlan Plan(params PlannedTask[] tasks) => new(FeaturePlan.From(tasks));

    private static PlannedTask Task(string id, AgentRole? role = null, params string[] dependsOn) =>
        new(id, role ?? AgentRole.Coder, $"Title of {id}", $"Instructions for {id}", dependsOn);

    private static void Complete(FeaturePlan plan, string taskId)
    {
        var task = plan[taskId];
        task.StartAttempt($"branch-{taskId}", Now, Now.AddMinutes(20));
        task.Complete(new TaskCompleted(Guid.Empty, taskId, task.Attempts, $"branch-{taskId}", "c0ffee", "done", [], TokenUsage.None, "m"), Now);
    }

    [Fact]
    public void Tasks_without_open_dependencies_are_ready_together_in_plan_order()
    {
        var plan = Plan(Task("test", AgentRole.Tester, "implement"), Task("docs", AgentRole.Docs), Task("implement"));

        Assert.Equal(["docs", "implement"], plan.ReadyToStart().Select(t => t.TaskId));

        Complete(plan, "implement");
        Assert.Equal(["test", "docs"], plan.ReadyToStart().Select(t => t.TaskId));
    }

    [Fact]
    public void Dependency_order_puts_every_task_after_what_it_depends_on_and_keeps_plan_order_among_equals()
    {
        var plan = Plan(Task("c", dependsOn: "b"), Task("a"), Task("b", dependsOn: "a"), Task("d"));

        Assert.Equal(["a", "b", "c", "d"], plan.InDependencyOrder().Select(t => t.TaskId));
    }

    [Fact]
    public void A_dependency_cycle_is_refused_with_a_clear_error()
    {
        var plan = Plan(Task("a", dependsOn: "b"), Task("b", dependsOn: "a"));

        var error = Assert.Throws<InvalidOperationException>(() => plan.InDependencyOrder());

        Assert.Equal("The plan has a dependency cycle.", error.Message);
    }

    [Fact]
    public void Only_the_running_attempt_is_current()
    {
        var plan = Plan(Task("a"));
        Assert.False(plan.IsCurrentAttempt("a", 0));

        plan["a"].StartAttempt("branch-a", Now, Now.AddMinutes(1));
        plan["a"].StartAttempt("branch-a", Now, Now.AddMinutes(1));

        Assert.True(plan.IsCurrentAttempt("a", 2));
        Assert.False(plan.IsCurrentAttempt("a", 1));
        Assert.False(plan.IsCurrentAttempt("missing", 1));
    }

    [Theory]
    [InlineData(1_000, 15, 3, 328)]
    [InlineData(1_000, 0, 1, 1_000)]
    [InlineData(1_000, 1_200, 2, 0)]
    public void Each_open_task_gets_an_equal_share_of_what_remains(long budget, long spent, int openTasks, long share)
    {
        var plan = Plan([.. Enumerable.Range(1, openTasks).Select(i => Task($"t{i}")), Task("done")]);
        Complete(plan, "done");

        Assert.Equal(share, plan.TokenShare(budget, spent));
    }

    [Fact]
    public void A_repair_task_is_a_coder_task_that_depends_on_every_completed_task_in_merge_order()
    {
        var plan = Plan(Task("test", AgentRole.Tester, "implement"), Task("implement"), Task("docs", AgentRole.Docs));
        Complete(plan, "implement");
        Complete(plan, "test");

        var repair = plan.AddRepairTask(new RepairTask(TaskKind.FixVerification, "fix-verification-1", "Fix", "Make it pass"));

        Assert.Equal(AgentRole.Coder, repair.Role);
        Assert.Equal(FeatureTaskState.Pending, repair.State);
        Assert.Equal(["implement", "test"], repair.DependsOn);
        Assert.Equal(["branch-implement", "branch-test"], plan.DependencyBranches(repair));
        Assert.Same(repair, plan["fix-verification-1"]);
    }

    [Fact]
    public void Stopping_ends_only_open_tasks_and_keeps_a_reason_a_task_already_has()
    {
        var plan = Plan(Task("done"), Task("running"), Task("waiting"));
        Complete(plan, "done");
        plan["running"].StartAttempt("branch-running", Now, Now.AddMinutes(1));
        plan["running"].FailureReason = "build broke";

        plan.StopOpenTasks(FeatureTaskState.Cancelled, "the feature was cancelled", Now);

        Assert.Equal(FeatureTaskState.Completed, plan["done"].State);
        Assert.Equal((FeatureTaskState.Cancelled, "build broke"), (plan["running"].State, plan["running"].FailureReason));
        Assert.Equal((FeatureTaskState.Cancelled, "the feature was cancelled"), (plan["waiting"].State, plan["waiting"].FailureReason));
        Assert.Null(plan["running"].Deadline);
        Assert.False(plan.AllCompleted);
    }
}
