using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Orchestrator.Testing;

namespace Orchestrator.Llm.Tests;

/// <summary>The sandboxed <c>run_command</c> tool as a model calls it through Semantic Kernel's OpenAI connector.</summary>
public sealed class ShellToolOverTheWireTests(ITestOutputHelper output)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_model_runs_a_program_with_an_argument_list_in_the_sandbox_and_reads_its_exit_code_and_output()
    {
        await using var rig = await ModelRig.StartAsync(output);
        rig.StandIn.Enqueue(
            StandInReply.Tool("workspace_run_command", new { program = "sh", args = new[] { "-c", "printf '%s' \"$1\" > made.txt; echo made", "sh", "a b; c" } }),
            StandInReply.Text("Ran it."));
        var (kernel, workspace, activity) = rig.KernelWithWorkspace();
        using var client = await rig.ClientAsync(rig.Llm, "task-a", new UsageMeter(10));
        var history = new ChatHistory("You are a test agent.");
        history.AddUserMessage("Your task (task-a): run the command.");

        var answer = await client.AsChatCompletionService(rig.Services).GetChatMessageContentAsync(
            history, new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel, _ct);

        Assert.Equal("Ran it.", answer.Content);
        Assert.Contains("workspace_run_command", rig.StandIn.Requests[0].ToolNames);
        var result = Assert.Single(rig.StandIn.Requests[1].ToolMessages).Content!;
        Assert.StartsWith("`sh -c ", result, StringComparison.Ordinal);
        Assert.Contains("`: exit code 0\n", result, StringComparison.Ordinal);
        Assert.EndsWith("made\n", result, StringComparison.Ordinal);
        // The last argument reached the program as one argument, its ';' never seen by a shell.
        Assert.Equal("a b; c", File.ReadAllText(Path.Combine(workspace, "made.txt")));
        Assert.Single(activity.Calls);
    }
}
