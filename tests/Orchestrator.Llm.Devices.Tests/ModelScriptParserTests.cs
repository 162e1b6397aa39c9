using Orchestrator.Llm;

namespace Orchestrator.Llm.Devices.Tests;

public sealed class ModelScriptParserTests
{
    [Theory]
    [InlineData("{ \"agents\": ")]
    [InlineData("not json at all")]
    [InlineData("{ \"agents\": { \"t\": [ { \"toolCalls\": \"read\" } ] } }")]
    public void Rejects_invalid_json_naming_the_script(string json)
    {
        var error = Assert.Throws<ModelDeviceException>(() => ModelScriptParser.Parse("broken", json));

        Assert.Contains("script 'broken' is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{ \"description\": \"d\", \"agents\": {} }")]
    [InlineData("{ \"agents\": null }")]
    [InlineData("null")]
    public void Rejects_a_script_without_agents(string json)
    {
        var error = Assert.Throws<ModelDeviceException>(() => ModelScriptParser.Parse("empty", json));

        Assert.Contains("has no \"agents\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{ \"content\": null }")]
    [InlineData("{ \"toolCalls\": [] }")]
    [InlineData("{ \"content\": null, \"toolCalls\": null }")]
    public void Rejects_a_turn_with_neither_content_nor_tool_calls_naming_agent_and_turn(string turn)
    {
        var json = $$"""{ "agents": { "task-a": [ { "content": "first" }, {{turn}} ] } }""";

        var error = Assert.Throws<ModelDeviceException>(() => ModelScriptParser.Parse("s", json));

        Assert.Contains("agent 'task-a', turn 2 has neither content nor toolCalls", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_tool_call_without_a_name()
    {
        var json = """{ "agents": { "task-a": [ { "toolCalls": [ { "name": " ", "arguments": {} } ] } ] } }""";

        var error = Assert.Throws<ModelDeviceException>(() => ModelScriptParser.Parse("s", json));

        Assert.Contains("turn 1: a tool call has no name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_comments_trailing_commas_text_and_structured_content()
    {
        var json = """
            {
              // a comment
              "description": "demo",
              "agents": {
                "planner": [ { "content": { "title": "T", "tasks": [] }, } ],
                "task-a": [
                  { "content": "thinking", "toolCalls": [ { "name": "workspace_list_files" } ] },
                  { "content": "done" },
                ],
              },
            }
            """;

        var script = ModelScriptParser.Parse("demo", json);

        Assert.Equal("demo", script.Name);
        Assert.Equal("demo", script.Description);
        Assert.Equal("""{ "title": "T", "tasks": [] }""", Assert.Single(script.TurnsFor(ModelConversation.Planner)).Content);
        var turns = script.TurnsFor("task-a");
        Assert.Equal(2, turns.Count);
        Assert.Equal("thinking", turns[0].Content);
        var call = Assert.Single(turns[0].ToolCalls);
        Assert.Equal("workspace_list_files", call.Name);
        Assert.Empty(call.Arguments);
        Assert.Empty(turns[1].ToolCalls);
    }

    [Fact]
    public void Agent_names_are_case_sensitive()
    {
        var script = ModelScriptParser.Parse("s", """{ "agents": { "Task-A": [ { "content": "x" } ] } }""");

        Assert.Throws<ModelDeviceException>(() => script.TurnsFor("task-a"));
    }

    [Fact]
    public void Parses_the_shipped_demo_script_with_a_closing_summary_for_every_task()
    {
        var script = ModelScriptParser.Parse("demo-power", File.ReadAllText(Path.Combine(SourceTree.Samples, "scripts", "demo-power.json")));

        // follow-up-1 answers a reviewer's /orchestrator comment on the pull request (GitHubIssueWebhookTests); the
        // Reviewer agent approves the first round (review-1) and the follow-up's (review-2).
        Assert.Equal(["document-power", "follow-up-1", "implement-power", "planner", "review-1", "review-2", "test-power"],
            script.Agents.Keys.Order(StringComparer.Ordinal));
        foreach (var task in new[] { "implement-power", "test-power", "document-power", "follow-up-1", "review-1", "review-2" })
        {
            var last = script.TurnsFor(task)[^1];
            Assert.False(string.IsNullOrWhiteSpace(last.Content), $"{task} must end with a summary");
            Assert.Empty(last.ToolCalls);
        }

        // The planner reads the repository with its own read-only tools; the agents work with the workspace's.
        Assert.All(script.TurnsFor("planner").SelectMany(t => t.ToolCalls),
            call => Assert.StartsWith("repository_", call.Name, StringComparison.Ordinal));
        Assert.All(script.Agents.Where(a => a.Key != "planner").SelectMany(a => a.Value).SelectMany(t => t.ToolCalls),
            call => Assert.StartsWith("workspace_", call.Name, StringComparison.Ordinal));
    }
}
