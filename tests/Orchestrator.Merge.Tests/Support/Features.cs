using Orchestrator.Contracts;

namespace Orchestrator.Merge.Tests.Support;

internal static class Features
{
    public static readonly ModelSelection ScriptedModel = new("demo-power", "scripted:demo-power (scripted demo model, not an AI)");

    public static TaskBranch Task(string taskId, AgentRole role, string branch, string commit, params string[] dependsOn) =>
        new(taskId, role, $"Title of {taskId}", branch, commit, $"Summary of {taskId}.", dependsOn, 1, new TokenUsage(100, 20, 3), TimeSpan.FromSeconds(12.5));

    public static ConsolidateFeature Consolidate(Guid featureId, string repository, IReadOnlyList<TaskBranch> tasks, ModelSelection? model = null) =>
        new(featureId,
            repository,
            "main",
            $"orchestrator/{featureId:N}",
            "Add a greeting",
            "Adds a greeting, its test and its documentation.",
            "Please add a greeting.\nIt should say hello.",
            tasks,
            model ?? ScriptedModel,
            new TokenUsage(300, 60, 9));
}
