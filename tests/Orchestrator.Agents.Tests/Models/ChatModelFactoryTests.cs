using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Orchestrator.Agents.Tests.Support;
using Orchestrator.Llm;
using Orchestrator.Workspaces;

namespace Orchestrator.Agents.Tests.Models;

public sealed class ChatModelFactoryTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly CancellationToken ct = TestContext.Current.CancellationToken;
    private readonly ServiceProvider services = new ServiceCollection().AddLogging().BuildServiceProvider();

    public void Dispose()
    {
        services.Dispose();
        temp.Dispose();
    }

    private const string Llm = "Endpoint=https://llm.example.invalid/v1;Model=test-model;Provider=openai";

    private ChatModelFactory Factory(string? llm = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(llm is null ? [] : [new("ConnectionStrings:llm", llm)])
            .Build();
        var options = Options.Create(new ModelOptions { ScriptsPath = temp.CreateDirectory("scripts") });
        return new ChatModelFactory(new ScriptLibrary(options), configuration, options, NullLoggerFactory.Instance, services);
    }

    [Fact]
    public void A_scripted_selection_is_labelled_as_scripted_and_not_an_AI()
    {
        var selection = Factory(llm: Llm).Select("demo-power");

        Assert.True(selection.IsScripted);
        Assert.Equal("demo-power", selection.Script);
        Assert.StartsWith("scripted:demo-power", selection.Description, StringComparison.Ordinal);
        Assert.Contains("not an AI", selection.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_script_the_configured_llm_is_selected_and_labelled_with_its_model()
    {
        var factory = Factory(llm: Llm);

        var selection = factory.Select(null);

        Assert.True(factory.HasLlm);
        Assert.False(selection.IsScripted);
        Assert.Equal("openai:test-model", selection.Description);
        Assert.Null(selection.ModelId);
    }

    [Fact]
    public void Without_a_script_or_an_llm_the_selection_is_refused_saying_what_is_missing()
    {
        var factory = Factory();

        var error = Assert.Throws<ScriptedModelException>(() => factory.Select(null));

        Assert.False(factory.HasLlm);
        Assert.Contains("ConnectionStrings:llm", error.Message, StringComparison.Ordinal);
        Assert.Contains("script", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_client_for_the_llm_reports_the_endpoint_and_model_through_its_pipeline()
    {
        using var factory = Factory(llm: Llm);

        using var client = factory.Create(factory.Select(null), "task-a", new UsageMeter());

        var metadata = Assert.IsType<ChatClientMetadata>(client.GetService(typeof(ChatClientMetadata)));
        Assert.Equal("test-model", metadata.DefaultModelId);
        Assert.Equal(new Uri("https://llm.example.invalid/v1/"), metadata.ProviderUri);
    }

    [Fact]
    public void The_created_client_still_reports_the_scripted_provider_through_its_pipeline()
    {
        temp.WriteFile("scripts/one.json", """{ "agents": { "task-a": [ { "content": "done" } ] } }""");
        var factory = Factory();

        using var client = factory.Create(factory.Select("one"), "task-a", new UsageMeter());

        var metadata = Assert.IsType<ChatClientMetadata>(client.GetService(typeof(ChatClientMetadata)));
        Assert.Equal("scripted", metadata.ProviderName);
        Assert.Equal("scripted:one", metadata.DefaultModelId);
    }

    // The wiring AgentTaskRunner relies on: Semantic Kernel invokes the scripted tool calls against real plugin functions.
    [Fact]
    public async Task Semantic_Kernel_runs_the_scripted_tool_calls_against_the_workspace_and_meters_every_call()
    {
        temp.WriteFile("scripts/write.json", """
            {
              "agents": {
                "task-a": [
                  { "toolCalls": [ { "name": "workspace_write_file", "arguments": { "path": "docs/new.md", "content": "# Written by a tool\n" } } ] },
                  { "toolCalls": [ { "name": "workspace_edit_file",
                                     "arguments": { "path": "docs/new.md", "oldText": "a tool", "newText": "the kernel" } } ] },
                  { "content": "  Wrote docs/new.md.  " }
                ]
              }
            }
            """);
        var workspace = temp.CreateDirectory("workspace");
        var factory = Factory();
        var meter = new UsageMeter();
        var activity = new ToolActivityLog(NullLogger.Instance, "task-a");
        var kernel = new Kernel(services);
        kernel.Plugins.AddFromObject(
            new WorkspacePlugin(new WorkspaceRoot(workspace), Runners.Create(), new AgentOptions(), activity), WorkspacePlugin.PluginName);

        using var client = factory.Create(factory.Select("write"), "task-a", meter);
        var history = new ChatHistory("You are a test.");
        history.AddUserMessage("Write the file.");
        var reply = await client.AsChatCompletionService(services).GetChatMessageContentAsync(
            history,
            new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() },
            kernel,
            ct).WaitAsync(TimeSpan.FromSeconds(30), ct);

        Assert.Equal("  Wrote docs/new.md.  ", reply.Content);
        Assert.Equal("# Written by the kernel\n", File.ReadAllText(Path.Combine(workspace, "docs", "new.md")));
        Assert.Equal(2, activity.Calls.Count);
        Assert.All(activity.Calls, call => Assert.EndsWith(" docs/new.md", call, StringComparison.Ordinal));
        var usage = meter.Total;
        Assert.Equal(3, usage.Calls);
        Assert.True(usage.InputTokens > 0);
        Assert.True(usage.OutputTokens > 0);
    }

    [Fact]
    public async Task A_script_that_runs_out_of_turns_inside_the_kernel_loop_surfaces_as_a_scripted_model_error()
    {
        temp.WriteFile("scripts/short.json", """
            { "agents": { "task-a": [ { "toolCalls": [ { "name": "workspace_list_files", "arguments": { "path": "." } } ] } ] } }
            """);
        var workspace = temp.CreateDirectory("workspace");
        var factory = Factory();
        var meter = new UsageMeter();
        var kernel = new Kernel(services);
        kernel.Plugins.AddFromObject(
            new WorkspacePlugin(new WorkspaceRoot(workspace), Runners.Create(), new AgentOptions(), new ToolActivityLog(NullLogger.Instance, "task-a")),
            WorkspacePlugin.PluginName);

        using var client = factory.Create(factory.Select("short"), "task-a", meter);
        var history = new ChatHistory();
        history.AddUserMessage("Go.");
        var error = await Assert.ThrowsAsync<ScriptedModelException>(() => client.AsChatCompletionService(services).GetChatMessageContentAsync(
            history,
            new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() },
            kernel,
            ct).WaitAsync(TimeSpan.FromSeconds(30), ct));

        Assert.Contains("no turn 2 for 'task-a'", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, meter.Total.Calls);
    }
}
