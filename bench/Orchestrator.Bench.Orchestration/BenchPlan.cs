using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Contracts;

namespace Orchestrator.Bench.Orchestration;

internal sealed record BenchTask(string Id, AgentRole Role, IReadOnlyList<string> DependsOn);

/// <summary>
/// A plan the orchestrator's planner returns for a benchmark feature. It reaches the planner the way every offline
/// plan does, as the <c>planner</c> turn of a scripted-model script (docs/scripted-model.md), so the planner, its
/// validation (PlanValidator) and the saga run exactly as for a real feature; only the agents are simulated.
/// </summary>
internal sealed record BenchPlan(string Script, string Description, IReadOnlyList<BenchTask> Tasks)
{
    /// <summary>The demo's shape: a Coder, a Tester after it, Docs alongside: two tasks on the critical path.</summary>
    public static BenchPlan DemoShape { get; } = new("bench-demo-shape", "coder, then tester; docs in parallel",
    [
        new("implement", AgentRole.Coder, []),
        new("test", AgentRole.Tester, ["implement"]),
        new("document", AgentRole.Docs, []),
    ]);

    /// <summary>Three equal, independent tasks: run all at once, or one at a time by the agents' capacity alone.</summary>
    public static BenchPlan ThreeEqual { get; } = new("bench-three-equal", "three independent coder tasks",
    [
        new("part-a", AgentRole.Coder, []),
        new("part-b", AgentRole.Coder, []),
        new("part-c", AgentRole.Coder, []),
    ]);

    public static IReadOnlyList<BenchPlan> All { get; } = [DemoShape, ThreeEqual];

    /// <summary>The scripted-model script whose planner turn is this plan; agent turns are not needed (no model).</summary>
    public string ScriptJson()
    {
        var tasks = new JsonArray();
        foreach (var task in Tasks)
        {
            tasks.Add(new JsonObject
            {
                ["id"] = task.Id,
                ["role"] = task.Role.ToString().ToLowerInvariant(),
                ["title"] = $"Bench task {task.Id}",
                ["instructions"] = $"Simulated work for the orchestration benchmark ({task.Id}).",
                ["dependsOn"] = new JsonArray([.. task.DependsOn.Select(d => JsonValue.Create(d))]),
            });
        }

        var plan = new JsonObject
        {
            ["title"] = $"Benchmark feature: {Description}",
            ["summary"] = "A feature of the orchestration benchmark; its agents are simulated.",
            ["interface"] = null,
            ["tasks"] = tasks,
        };
        var script = new JsonObject
        {
            ["description"] = $"orchestration benchmark plan: {Description} (simulated agents, no model)",
            ["agents"] = new JsonObject { ["planner"] = new JsonArray(new JsonObject { ["content"] = plan }) },
        };
        return script.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public double CriticalPathMs(IReadOnlyDictionary<string, double> durations) =>
        TaskGraph.CriticalPathMs([.. Tasks.Select(t => new TimedTask(t.Id, t.DependsOn, durations.GetValueOrDefault(t.Id)))]);
}
