using Orchestrator.Bench.Orchestration;
using Orchestrator.Contracts;
using Orchestrator.Llm.Devices;
using Orchestrator.Planning;

namespace Orchestrator.Bench.Tests;

public sealed class BenchPlanTests
{
    public static TheoryData<string> Scripts => [.. BenchPlan.All.Select(p => p.Script)];

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Each_plan_is_one_the_planner_accepts(string script)
    {
        var plan = BenchPlan.All.Single(p => p.Script == script);

        // The path a plan takes in the orchestrator: the script's planner turn, parsed and validated as a reply.
        var turn = ModelScriptParser.Parse(script, plan.ScriptJson()).TurnsFor("planner")[0];
        var parsed = PlanParser.Parse(turn.Content!);

        Assert.Empty(PlanValidator.Validate(parsed));
        Assert.Equal(plan.Tasks.Select(t => (t.Id, t.Role)), parsed.Tasks.Select(t => (t.TaskId, t.Role)));
        Assert.Equal(plan.Tasks.Select(t => t.DependsOn), parsed.Tasks.Select(t => t.DependsOn));
    }

    [Fact]
    public void The_speedup_plan_is_three_independent_tasks_of_one_role()
    {
        var tasks = BenchPlan.ThreeEqual.Tasks;

        Assert.Equal(3, tasks.Count);
        Assert.All(tasks, t => Assert.Empty(t.DependsOn));
        Assert.Single(tasks.Select(t => t.Role).Distinct());
        Assert.Equal(AgentRole.Coder, tasks[0].Role);
    }
}
