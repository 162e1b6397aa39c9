using Orchestrator.Contracts;

namespace Orchestrator.Agents.Tests.Support;

internal static class Tasks
{
    public static ModelSelection Scripted(string script) => new(script, $"scripted:{script} (scripted demo model, not an AI)");

    public static TaskAssignment Assignment(
        string repository,
        string script,
        string taskId = "task-a",
        Guid? featureId = null,
        IReadOnlyList<string>? dependencies = null,
        DateTimeOffset? deadline = null,
        string baseBranch = "main",
        int attempt = 1)
    {
        var feature = featureId ?? Guid.NewGuid();
        return new TaskAssignment(
            feature,
            taskId,
            attempt,
            AgentRole.Coder,
            repository,
            baseBranch,
            BranchOf(feature, taskId),
            "Say hello.",
            $"Title of {taskId}",
            "Add a greeting.",
            "string Hello()",
            dependencies ?? [],
            Scripted(script),
            deadline ?? DateTimeOffset.UtcNow.AddMinutes(10));
    }

    public static string BranchOf(Guid feature, string taskId) => $"orchestrator/tasks/{feature:N}/{taskId}";
}
