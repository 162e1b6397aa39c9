using Orchestrator.Agents.Tests.Support;
using Orchestrator.Workspaces;

namespace Orchestrator.Agents.Tests;

public sealed class AgentTaskPromptTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_prompt_names_the_tasks_files_and_quotes_the_repository_instructions_after_the_task()
    {
        _temp.WriteFile("repo/AGENTS.md", "Keep warnings at zero.");
        var instructions = RepositoryInstructions.Read(new WorkspaceRoot(_temp.Combine("repo")), ["src/A.cs"]);
        var task = Tasks.Assignment("/repos/x.git", "demo") with { Files = ["src/A.cs", "tests/ATests.cs"] };

        var prompt = AgentTaskPrompt.For(task, instructions);

        Assert.Contains("Files this task should touch (from the plan): src/A.cs, tests/ATests.cs", prompt, StringComparison.Ordinal);
        Assert.Contains("<<< repository-instructions file=\"AGENTS.md\"\nKeep warnings at zero.\n<<< end repository-instructions", prompt.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        // The task comes first: stand-ins and people find "Your task (<id>)" before any repository text.
        Assert.True(prompt.IndexOf($"Your task ({task.TaskId})", StringComparison.Ordinal) < prompt.IndexOf("<<< repository-instructions", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_files_or_instructions_the_prompt_has_neither_section()
    {
        var prompt = AgentTaskPrompt.For(Tasks.Assignment("/repos/x.git", "demo"), RepositoryInstructions.None);

        Assert.DoesNotContain("Files this task should touch", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("repository-instructions", prompt, StringComparison.Ordinal);
    }
}
