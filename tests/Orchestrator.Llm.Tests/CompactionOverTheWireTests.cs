using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Orchestrator.Llm.Context;
using Orchestrator.Testing;

namespace Orchestrator.Llm.Tests;

/// <summary>
/// Context management as an agent meets it through Semantic Kernel's OpenAI connector: the remaining budget in every
/// request, and a conversation compacted by the model itself when it nears the window configured for that model.
/// </summary>
public sealed class CompactionOverTheWireTests(ITestOutputHelper output)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_conversation_near_its_models_window_is_summarised_by_the_model_and_goes_on_compacted()
    {
        // The stand-in's model gets a 1,000-token window: compaction above 750 tokens (about 3,000 characters).
        await using var rig = await ModelRig.StartAsync(output, settings: new Dictionary<string, string?>
        {
            ["Models:ContextWindows:0:Model"] = "openai:" + OpenAiStandIn.DefaultModel,
            ["Models:ContextWindows:0:Tokens"] = "1000",
        });
        rig.StandIn.Enqueue(
            StandInReply.Tool("workspace_read_file", new { path = "one.txt" }),
            StandInReply.Tool("workspace_read_file", new { path = "two.txt" }),
            StandInReply.Text("one.txt holds 1,600 o's."), // the compaction's summary
            StandInReply.Text("Read both files."));
        var (kernel, workspace, _) = rig.KernelWithWorkspace();
        File.WriteAllText(Path.Combine(workspace, "one.txt"), new string('o', 1_600));
        File.WriteAllText(Path.Combine(workspace, "two.txt"), new string('t', 1_600));
        var meter = new UsageMeter(maxCalls: 10, tokenBudget: 100_000);

        using var client = await rig.ClientAsync(rig.Llm, "task-a", meter);
        var history = new ChatHistory("You are a test agent.");
        history.AddUserMessage("Your task (task-a): read one.txt and two.txt.");
        var answer = await client.AsChatCompletionService(rig.Services).GetChatMessageContentAsync(
            history, new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel, _ct);

        Assert.Equal("Read both files.", answer.Content);
        var requests = rig.StandIn.Requests;
        Assert.Equal(4, requests.Count);
        Assert.Equal(4, meter.Total.Calls); // the summary is a model call like any other, within the same limits

        // Every agent request ends with what is left; the first has all of it.
        Assert.StartsWith("[Budget left for this task: 100,000 of 100,000 tokens; 10 of 10 model calls.", requests[0].Messages[^1].Content, StringComparison.Ordinal);

        var compaction = requests[2];
        Assert.Equal(CompactionModel.SystemPrompt, compaction.Messages[0].Content);
        Assert.Contains(new string('o', 100), compaction.Messages[1].Content, StringComparison.Ordinal);
        Assert.Empty(compaction.ToolNames); // the summariser gets no tools

        var compacted = requests[3];
        Assert.Equal(["system", "user", "user", "assistant", "tool", "user"], compacted.Messages.Select(m => m.Role));
        Assert.Equal(CompactedTurns.Header(2, 1) + "\n\none.txt holds 1,600 o's.", compacted.Messages[2].Content);
        Assert.DoesNotContain(compacted.Messages, m => m.Content?.Contains(new string('o', 100), StringComparison.Ordinal) == true);
        Assert.Contains(new string('t', 1_600), compacted.ToolMessages[0].Content, StringComparison.Ordinal);
        Assert.StartsWith("[Budget left for this task:", compacted.Messages[^1].Content, StringComparison.Ordinal);
    }
}
