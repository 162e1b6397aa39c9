using System.Text;
using Orchestrator.Contracts;
using Orchestrator.Workspaces;

namespace Orchestrator.Agents;

/// <summary>
/// The user message that opens a task's conversation: the request, the task (its id in a fixed form the scripted model
/// and its stand-ins find the task by), the files the plan names, the shared interface, what is already merged in, the
/// repository's own instruction files (after the task, delimited), and the reply expected.
/// </summary>
public static class AgentTaskPrompt
{
    public static string For(TaskAssignment task, RepositoryInstructions? instructions = null)
    {
        var prompt = new StringBuilder()
            .AppendLine($"Feature request: {task.FeatureRequest}")
            .AppendLine()
            .AppendLine($"Your task ({task.TaskId}): {task.Title}")
            .AppendLine(task.Instructions);
        if (task.Files is { Count: > 0 } files)
        {
            prompt.AppendLine().AppendLine($"Files this task should touch (from the plan): {string.Join(", ", files)}");
        }

        if (!string.IsNullOrWhiteSpace(task.Interface))
        {
            prompt.AppendLine().AppendLine("Shared interface (the other agents rely on exactly this):").AppendLine(task.Interface);
        }

        if (task.DependencyBranches.Count > 0)
        {
            prompt.AppendLine().AppendLine($"The work of the tasks you depend on is already in your workspace ({string.Join(", ", task.DependencyBranches)}).");
        }

        if (instructions is { Files.Count: > 0 })
        {
            prompt.AppendLine().Append(instructions.ToPrompt());
        }

        return prompt.AppendLine().AppendLine("When you are done, reply with a short summary of what you changed and why.").ToString();
    }
}
