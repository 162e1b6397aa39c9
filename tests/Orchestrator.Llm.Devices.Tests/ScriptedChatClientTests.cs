using System.Text.Json;
using Microsoft.Extensions.AI;
using Orchestrator.Llm;

namespace Orchestrator.Llm.Devices.Tests;

public sealed class ScriptedChatClientTests
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private static readonly ModelScript Script = ModelScriptParser.Parse("three-turns", """
        {
          "description": "three turns for one task",
          "agents": {
            "task-a": [
              { "toolCalls": [ { "name": "workspace_read_file", "arguments": { "path": "README.md" } } ] },
              { "toolCalls": [
                  { "name": "workspace_edit_file", "arguments": { "path": "a.txt", "oldText": "x", "newText": "y" } },
                  { "name": "workspace_run_build", "arguments": {} } ] },
              { "content": "All done." }
            ],
            "task-b": [ { "content": "b" } ]
          }
        }
        """);

    private static ChatMessage User(string text = "do the task") => new(ChatRole.User, text);

    private static ChatMessage Assistant() => new(ChatRole.Assistant, [new FunctionCallContent("c", "f")]);

    private static ChatMessage Tool() => new(ChatRole.Tool, [new FunctionResultContent("c", "ok")]);

    [Fact]
    public async Task Plays_the_turn_whose_index_is_the_number_of_assistant_messages_so_far()
    {
        using var client = new ScriptedChatClient(Script, "task-a");

        var first = await client.GetResponseAsync([new(ChatRole.System, "system"), User()], cancellationToken: _ct);
        var second = await client.GetResponseAsync([User(), Assistant(), Tool()], cancellationToken: _ct);
        var third = await client.GetResponseAsync([User(), Assistant(), Tool(), Assistant(), Tool(), Tool()], cancellationToken: _ct);

        Assert.Equal("workspace_read_file", Assert.Single(first.Messages.Single().Contents.OfType<FunctionCallContent>()).Name);
        Assert.Equal(
            ["workspace_edit_file", "workspace_run_build"],
            second.Messages.Single().Contents.OfType<FunctionCallContent>().Select(c => c.Name));
        Assert.Equal("All done.", third.Text);
        Assert.Empty(third.Messages.Single().Contents.OfType<FunctionCallContent>());
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        Assert.Equal(ChatFinishReason.Stop, third.FinishReason);
    }

    [Fact]
    public async Task Replaying_the_same_conversation_plays_the_same_turn_again()
    {
        using var client = new ScriptedChatClient(Script, "task-a");

        var once = await client.GetResponseAsync([User(), Assistant(), Tool()], cancellationToken: _ct);
        var again = await client.GetResponseAsync([User("a different wording"), Assistant(), Tool()], cancellationToken: _ct);

        Assert.Equal(
            once.Messages.Single().Contents.OfType<FunctionCallContent>().Select(c => c.Name),
            again.Messages.Single().Contents.OfType<FunctionCallContent>().Select(c => c.Name));
    }

    [Fact]
    public async Task Tool_call_turns_carry_the_scripts_arguments_and_distinct_call_ids()
    {
        using var client = new ScriptedChatClient(Script, "task-a");

        var response = await client.GetResponseAsync([User(), Assistant(), Tool()], cancellationToken: _ct);

        var calls = response.Messages.Single().Contents.OfType<FunctionCallContent>().ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(new Dictionary<string, object?> { ["path"] = "a.txt", ["oldText"] = "x", ["newText"] = "y" }, calls[0].Arguments);
        Assert.Empty(calls[1].Arguments!);
        Assert.Equal(2, calls.Select(c => c.CallId).Distinct().Count());
        Assert.Equal(ChatRole.Assistant, response.Messages.Single().Role);
    }

    [Fact]
    public async Task Arguments_keep_their_json_types()
    {
        var script = ModelScriptParser.Parse("types", """
            { "agents": { "t": [ { "toolCalls": [ { "name": "f", "arguments":
              { "text": "s", "count": 3, "ratio": 0.5, "flag": true, "off": false, "none": null, "nested": { "a": [1, 2] } } } ] } ] } }
            """);
        using var client = new ScriptedChatClient(script, "t");

        var response = await client.GetResponseAsync([User()], cancellationToken: _ct);

        var arguments = Assert.Single(response.Messages.Single().Contents.OfType<FunctionCallContent>()).Arguments!;
        Assert.Equal("s", arguments["text"]);
        Assert.Equal(3L, arguments["count"]);
        Assert.Equal(0.5, arguments["ratio"]);
        Assert.Equal(true, arguments["flag"]);
        Assert.Equal(false, arguments["off"]);
        Assert.Null(arguments["none"]);
        var nested = Assert.IsType<JsonElement>(arguments["nested"]);
        Assert.Equal(2, nested.GetProperty("a").GetArrayLength());
    }

    [Fact]
    public async Task Running_out_of_turns_throws_naming_the_script_and_the_agent()
    {
        using var client = new ScriptedChatClient(Script, "task-b");

        var error = await Assert.ThrowsAsync<ModelDeviceException>(
            () => client.GetResponseAsync([User(), Assistant(), Tool()], cancellationToken: _ct));

        Assert.Contains("'three-turns'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'task-b'", error.Message, StringComparison.Ordinal);
        Assert.Contains("no turn 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_agent_the_script_does_not_know_is_refused_when_the_client_is_made()
    {
        var error = Assert.Throws<ModelDeviceException>(() => new ScriptedChatClient(Script, "task-z"));

        Assert.Contains("no turns for 'task-z'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_says_the_provider_is_scripted_and_names_the_script()
    {
        using var client = new ScriptedChatClient(Script, "task-a");

        var metadata = Assert.IsType<ChatClientMetadata>(client.GetService(typeof(ChatClientMetadata)));

        Assert.Equal("scripted", metadata.ProviderName);
        Assert.Equal("scripted:three-turns", metadata.DefaultModelId);
        Assert.Same(client, client.GetService(typeof(ScriptedChatClient)));
        Assert.Null(client.GetService(typeof(string)));
    }

    [Fact]
    public async Task Responses_are_labelled_with_the_scripted_model_id_and_estimate_usage()
    {
        using var client = new ScriptedChatClient(Script, "task-a");

        var response = await client.GetResponseAsync([User(new string('x', 400))], cancellationToken: _ct);

        Assert.Equal("scripted:three-turns", response.ModelId);
        Assert.Equal(100, response.Usage?.InputTokenCount);
        Assert.True(response.Usage?.OutputTokenCount > 0);
        Assert.Equal(response.Usage?.InputTokenCount + response.Usage?.OutputTokenCount, response.Usage?.TotalTokenCount);
    }

    [Fact]
    public async Task Streaming_plays_the_same_turn()
    {
        using var client = new ScriptedChatClient(Script, "task-a");

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([User(), Assistant(), Tool(), Assistant(), Tool()], cancellationToken: _ct))
        {
            updates.Add(update);
        }

        Assert.Equal("All done.", updates.ToChatResponse().Text);
    }

    [Fact]
    public async Task A_cancelled_call_plays_nothing()
    {
        using var client = new ScriptedChatClient(Script, "task-a");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => client.GetResponseAsync([User()], cancellationToken: new CancellationToken(canceled: true)));
    }
}
