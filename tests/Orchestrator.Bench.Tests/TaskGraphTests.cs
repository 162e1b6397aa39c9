using Orchestrator.Bench.Orchestration;

namespace Orchestrator.Bench.Tests;

public sealed class TaskGraphTests
{
    [Fact]
    public void Independent_tasks_take_as_long_as_the_longest()
    {
        Assert.Equal(120, TaskGraph.CriticalPathMs([new("a", [], 100), new("b", [], 120), new("c", [], 80)]));
    }

    [Fact]
    public void A_chain_takes_the_sum_of_its_tasks()
    {
        Assert.Equal(60, TaskGraph.CriticalPathMs([new("c", ["b"], 30), new("a", [], 10), new("b", ["a"], 20)]));
    }

    [Fact]
    public void The_longest_chain_through_a_diamond_decides()
    {
        TimedTask[] tasks =
        [
            new("plan", [], 10), new("fast", ["plan"], 5), new("slow", ["plan"], 50), new("join", ["fast", "slow"], 7),
        ];

        Assert.Equal(67, TaskGraph.CriticalPathMs(tasks));
    }

    [Fact]
    public void The_demo_shaped_plan_waits_for_the_coder_before_the_tester()
    {
        var durations = new Dictionary<string, double> { ["implement"] = 100, ["test"] = 50, ["document"] = 120 };

        Assert.Equal(150, BenchPlan.DemoShape.CriticalPathMs(durations));
    }

    [Fact]
    public void A_cycle_or_an_unknown_dependency_is_refused()
    {
        Assert.Throws<ArgumentException>(() => TaskGraph.CriticalPathMs([new("a", ["b"], 1), new("b", ["a"], 1)]));
        Assert.Throws<ArgumentException>(() => TaskGraph.CriticalPathMs([new("a", ["missing"], 1)]));
    }
}

public sealed class OverheadPhasesTests
{
    [Fact]
    public void A_feature_splits_into_start_hand_off_and_finish()
    {
        TaskTimes[] tasks =
        [
            new("implement", [], ArrivedMs: 10, AnsweredMs: 120),
            new("test", ["implement"], ArrivedMs: 135, AnsweredMs: 190),
            new("document", [], ArrivedMs: 12, AnsweredMs: 130),
        ];

        var phases = OverheadPhases.Of(tasks, endedMs: 205);

        Assert.Equal(10, phases.ToFirstTaskMs);
        Assert.Equal(15, phases.HandOffMs);
        Assert.Equal(15, phases.AfterLastTaskMs);
    }

    [Fact]
    public void Independent_tasks_have_no_hand_off()
    {
        var phases = OverheadPhases.Of([new("a", [], 5, 50), new("b", [], 7, 60)], endedMs: 70);

        Assert.Null(phases.HandOffMs);
        Assert.Null(OverheadPhaseMedians.Of([phases]).HandOffMs);
    }
}
