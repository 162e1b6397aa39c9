using System.Text;
using Orchestrator.Contracts;

namespace Orchestrator.Agents;

/// <summary>
/// The user message that opens a task's conversation: the request, the task (its id in a fixed form the scripted model
/// and its stand-ins find the task by), the shared interface, what is already merged in, and the reply expected.
/// </summary>
public static class AgentTaskPrompt
{
    public static string For(TaskAssignment task)
    {
        var prompt = new StringBuilder()
            .AppendLine($"Feature request: {task.FeatureRequest}")
            .AppendLine()
            .AppendLine($"Your task ({task.TaskId}): {task.Title}")
            .AppendLine(task.Instructions);
        if (!string.IsNullOrWhiteSpace(task.Interface))
        {
            prompt.AppendLine().AppendLine("Shared interface (the other agents rely on exactly this):").AppendLine(task.Interface);
        }

        if (task.DependencyBranches.Count > 0)
        {
            prompt.AppendLine().AppendLine($"The work of the tasks you depend on is already in your workspace ({string.Join(", ", task.DependencyBranches)}).");
        }

        return prompt.AppendLine().AppendLine("When you are done, reply with a short summary of what you changed and why.").ToString();
    }
}
