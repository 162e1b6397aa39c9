using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Orchestrator.Agents;
using Orchestrator.Contracts;
using Orchestrator.Llm;
using Orchestrator.Llm.Devices;
using Orchestrator.Workspaces;

namespace Orchestrator.Llm.Devices.Tests;

/// <summary>The model factory with the devices wired as the orchestrator wires them (it keeps the scripts).</summary>
public sealed class ChatModelFactoryTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly List<ServiceProvider> _providers = [];

    public void Dispose()
    {
        _providers.ForEach(p => p.Dispose());
        _temp.Dispose();
    }

    private const string Llm = "Endpoint=https://llm.example.invalid/v1;Model=test-model;Provider=openai";

    private ServiceProvider Services(string? llm = null, int? scriptedContextWindow = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:llm"] = llm,
                ["Models:ScriptsPath"] = _temp.CreateDirectory("scripts"),
                ["Models:CassettesPath"] = _temp.CreateDirectory("cassettes"),
                ["Models:ContextWindows:0:Model"] = "scripted:compact",
                ["Models:ContextWindows:0:Tokens"] = scriptedContextWindow?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "128000",
            })
            .Build();
        var provider = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddOrchestratorModels()
            .AddModelDeviceKeeper()
            .BuildServiceProvider();
        _providers.Add(provider);
        return provider;
    }

    private ChatModelFactory Factory(string? llm = null) => Services(llm).GetRequiredService<ChatModelFactory>();

    private ModelSelection Script(string name, string? llm = null) => Services(llm).GetRequiredService<ModelDeviceSelection>().Script(name);

    private Task<IChatClient> ClientAsync(ChatModelFactory factory, ModelSelection model, UsageMeter meter) =>
        factory.CreateAsync(model, new ModelConversation(Guid.Empty, "task-a", 1), meter, _ct);

    [Fact]
    public void A_scripted_selection_is_labelled_as_scripted_and_not_an_AI()
    {
        _temp.WriteFile("scripts/demo-power.json", """{ "agents": { "task-a": [ { "content": "done" } ] } }""");

        var selection = Script("demo-power", llm: Llm);

        Assert.True(selection.IsScripted);
        Assert.Equal("demo-power", selection.Script);
        Assert.StartsWith("scripted:demo-power", selection.Description, StringComparison.Ordinal);
        Assert.Contains("not an AI", selection.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_script_is_refused_naming_the_ones_there_are()
    {
        _temp.WriteFile("scripts/demo-power.json", """{ "agents": { "task-a": [ { "content": "done" } ] } }""");

        var error = Assert.Throws<ModelDeviceException>(() => Script("nope"));

        Assert.Equal("Scripted model: no script named 'nope'; available: demo-power.", error.Message);
    }

    [Fact]
    public void Without_a_script_the_configured_llm_is_selected_and_labelled_with_its_model()
    {
        var factory = Factory(llm: Llm);

        var selection = factory.SelectLive(null);

        Assert.True(factory.HasLlm);
        Assert.False(selection.IsScripted);
        Assert.Equal("openai:test-model", selection.Description);
        Assert.Null(selection.ModelId);
    }

    [Fact]
    public void Without_a_script_or_an_llm_the_selection_is_refused_saying_what_is_missing()
    {
        var factory = Factory();

        var error = Assert.Throws<LlmConnectionException>(() => factory.SelectLive(null));

        Assert.False(factory.HasLlm);
        Assert.Contains("ConnectionStrings:llm", error.Message, StringComparison.Ordinal);
        Assert.Contains("script", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_for_the_llm_reports_the_endpoint_and_model_through_its_pipeline()
    {
        var factory = Factory(llm: Llm);

        using var client = await ClientAsync(factory, factory.SelectLive(null), new UsageMeter());

        var metadata = Assert.IsType<ChatClientMetadata>(client.GetService(typeof(ChatClientMetadata)));
        Assert.Equal("test-model", metadata.DefaultModelId);
        Assert.Equal(new Uri("https://llm.example.invalid/v1/"), metadata.ProviderUri);
    }

    [Fact]
    public async Task The_created_client_still_reports_the_scripted_provider_through_its_pipeline()
    {
        _temp.WriteFile("scripts/one.json", """{ "agents": { "task-a": [ { "content": "done" } ] } }""");

        using var client = await ClientAsync(Factory(), Script("one"), new UsageMeter());

        var metadata = Assert.IsType<ChatClientMetadata>(client.GetService(typeof(ChatClientMetadata)));
        Assert.Equal("scripted", metadata.ProviderName);
        Assert.Equal("scripted:one", metadata.DefaultModelId);
    }

    // The wiring AgentTaskRunner relies on: Semantic Kernel invokes the scripted tool calls against real plugin functions.
    [Fact]
    public async Task Semantic_Kernel_runs_the_scripted_tool_calls_against_the_workspace_and_meters_every_call()
    {
        _temp.WriteFile("scripts/write.json", """
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
        var workspace = _temp.CreateDirectory("workspace");
        var services = Services();
        var meter = new UsageMeter();
        var activity = new ToolActivityLog(NullLogger.Instance, "task-a");
        var kernel = new Kernel(services);
        kernel.Plugins.AddFromObject(
            new WorkspacePlugin(new WorkspaceRoot(workspace), Sandbox(), new AgentOptions(), activity), WorkspacePlugin.PluginName);

        using var client = await ClientAsync(services.GetRequiredService<ChatModelFactory>(), Script("write"), meter);
        var history = new ChatHistory("You are a test.");
        history.AddUserMessage("Write the file.");
        var reply = await client.AsChatCompletionService(services).GetChatMessageContentAsync(
            history,
            new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() },
            kernel,
            _ct).WaitAsync(TimeSpan.FromSeconds(30), _ct);

        Assert.Equal("  Wrote docs/new.md.  ", reply.Content);
        Assert.Equal("# Written by the kernel\n", File.ReadAllText(Path.Combine(workspace, "docs", "new.md")));
        Assert.Equal(2, activity.Calls.Count);
        Assert.All(activity.Calls, call => Assert.EndsWith(" docs/new.md", call, StringComparison.Ordinal));
        var usage = meter.Total;
        Assert.Equal(3, usage.Calls);
        Assert.True(usage.InputTokens > 0);
        Assert.True(usage.OutputTokens > 0);
    }

    // Compaction under the scripted model: the summary is played from <agent>/compaction-<n>, and the task's own turns go
    // on in order although the conversation holds fewer assistant messages after it.
    [Fact]
    public async Task A_scripted_conversation_is_compacted_with_the_scripts_summary_and_plays_its_next_turn()
    {
        _temp.WriteFile("scripts/compact.json", """
            {
              "agents": {
                "task-a": [
                  { "toolCalls": [ { "name": "workspace_read_file", "arguments": { "path": "one.txt" } } ] },
                  { "toolCalls": [ { "name": "workspace_read_file", "arguments": { "path": "two.txt" } } ] },
                  { "content": "Read both." }
                ],
                "task-a/compaction-1": [ { "content": "one.txt is all o's." } ]
              }
            }
            """);
        var workspace = _temp.CreateDirectory("workspace");
        File.WriteAllText(Path.Combine(workspace, "one.txt"), new string('o', 1_600));
        File.WriteAllText(Path.Combine(workspace, "two.txt"), new string('t', 1_600));
        var services = Services(scriptedContextWindow: 1_000);
        var meter = new UsageMeter(maxCalls: 10);
        var kernel = new Kernel(services);
        kernel.Plugins.AddFromObject(
            new WorkspacePlugin(new WorkspaceRoot(workspace), Sandbox(), new AgentOptions(), new ToolActivityLog(NullLogger.Instance, "task-a")),
            WorkspacePlugin.PluginName);

        using var client = await ClientAsync(services.GetRequiredService<ChatModelFactory>(), Script("compact"), meter);
        var history = new ChatHistory("You are a test.");
        history.AddUserMessage("Read the files.");
        var reply = await client.AsChatCompletionService(services).GetChatMessageContentAsync(
            history, new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }, kernel, _ct).WaitAsync(TimeSpan.FromSeconds(30), _ct);

        Assert.Equal("Read both.", reply.Content);
        Assert.Equal(4, meter.Total.Calls); // three turns of the task and the summary
    }

    [Fact]
    public async Task A_script_that_runs_out_of_turns_inside_the_kernel_loop_surfaces_as_a_scripted_model_error()
    {
        _temp.WriteFile("scripts/short.json", """
            { "agents": { "task-a": [ { "toolCalls": [ { "name": "workspace_list_files", "arguments": { "path": "." } } ] } ] } }
            """);
        var workspace = _temp.CreateDirectory("workspace");
        var services = Services();
        var meter = new UsageMeter();
        var kernel = new Kernel(services);
        kernel.Plugins.AddFromObject(
            new WorkspacePlugin(new WorkspaceRoot(workspace), Sandbox(), new AgentOptions(), new ToolActivityLog(NullLogger.Instance, "task-a")),
            WorkspacePlugin.PluginName);

        using var client = await ClientAsync(services.GetRequiredService<ChatModelFactory>(), Script("short"), meter);
        var history = new ChatHistory();
        history.AddUserMessage("Go.");
        var error = await Assert.ThrowsAsync<ModelDeviceException>(() => client.AsChatCompletionService(services).GetChatMessageContentAsync(
            history,
            new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() },
            kernel,
            _ct).WaitAsync(TimeSpan.FromSeconds(30), _ct));

        Assert.Contains("no turn 2 for 'task-a'", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, meter.Total.Calls);
    }

    private static BubblewrapCommandRunner Sandbox() =>
        new(new ProcessRunner(NullLogger<ProcessRunner>.Instance), Options.Create(new SandboxOptions()), NullLogger<BubblewrapCommandRunner>.Instance);
}
