using Microsoft.Extensions.AI;
using Orchestrator.Llm;
using Orchestrator.Llm.Devices;

namespace Orchestrator.Llm.Tests;

public sealed class UsageMeterTests
{
    [Fact]
    public void Adds_up_tokens_and_counts_calls_that_report_no_usage()
    {
        var meter = new UsageMeter();

        foreach (var usage in new UsageDetails?[] { new() { InputTokenCount = 10, OutputTokenCount = 3 }, null, new() { InputTokenCount = 5 } })
        {
            meter.BeginCall();
            meter.Record(usage);
        }

        Assert.Equal(new(15, 3, 3), meter.Total);
        Assert.Equal(18, meter.Total.TotalTokens);
    }

    [Fact]
    public async Task Concurrent_records_are_not_lost()
    {
        var meter = new UsageMeter();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                meter.BeginCall();
                meter.Record(new UsageDetails { InputTokenCount = 1, OutputTokenCount = 2 });
            }
        }))).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(new(8000, 16000, 8000), meter.Total);
    }

    [Fact]
    public async Task A_model_that_keeps_calling_is_stopped_at_the_call_limit()
    {
        var script = ModelScriptParser.Parse("loop", """
            {"agents": {"task": [
              {"toolCalls": [{"name": "workspace_list_files", "arguments": {}}]},
              {"toolCalls": [{"name": "workspace_list_files", "arguments": {}}]},
              {"toolCalls": [{"name": "workspace_list_files", "arguments": {}}]},
              {"content": "done"}
            ]}}
            """);
        var meter = new UsageMeter(maxCalls: 2);
        using var client = new UsageRecordingChatClient(new ScriptedChatClient(script, "task"), meter);
        List<ChatMessage> conversation = [new(ChatRole.User, "go")];

        for (var call = 0; call < 2; call++)
        {
            var response = await client.GetResponseAsync(conversation, cancellationToken: TestContext.Current.CancellationToken);
            conversation.AddRange(response.Messages);
        }

        var error = await Assert.ThrowsAsync<ModelCallLimitException>(
            () => client.GetResponseAsync(conversation, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("2 calls", error.Message);
        Assert.Equal(2, meter.Total.Calls);
    }

    [Fact]
    public void A_meter_stops_the_next_call_once_its_token_budget_is_spent()
    {
        var meter = new UsageMeter(tokenBudget: 100);
        meter.BeginCall();
        meter.Record(new UsageDetails { InputTokenCount = 80, OutputTokenCount = 20 });

        var error = Assert.Throws<TokenBudgetExceededException>(meter.BeginCall);

        Assert.Equal("budget exceeded: the task spent 100 of its 100 tokens before finishing", error.Message);
    }

    [Theory]
    [InlineData(null, "the model made 1 calls without finishing (the limit per task attempt)")]
    [InlineData("plan", "the model made 1 calls without finishing (the limit per plan)")]
    public void The_call_limit_names_what_it_limits(string? scope, string expected)
    {
        var meter = scope is null ? new UsageMeter(maxCalls: 1) : new UsageMeter(maxCalls: 1, scope: scope);
        meter.BeginCall();
        meter.Record(null);

        Assert.Equal(expected, Assert.Throws<ModelCallLimitException>(meter.BeginCall).Message);
    }
}
