using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Orchestrator.Contracts;
using Orchestrator.Testing;

namespace Orchestrator.Llm.Devices.Tests;

/// <summary>Recording a feature's model calls into a cassette and replaying it offline through Semantic Kernel's loop.</summary>
public sealed class CassetteTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "orchestrator-models-tests", "cassettes-" + Guid.NewGuid().ToString("N"));

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly PromptExecutionSettings Auto = new() { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };

    private static ChatHistory Conversation(string request = "Write docs/new.md.")
    {
        var history = new ChatHistory("You are a test agent.");
        history.AddUserMessage(request);
        return history;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private async Task<ModelRig> StartAsync(ITestOutputHelper output) =>
        await ModelRig.StartAsync(output, settings: new Dictionary<string, string?>
        {
            ["Models:CassettesPath"] = _root,
            ["Models:ScriptsPath"] = Path.Combine(_root, "scripts"),
        });

    private static async Task<string?> RunAsync(
        ModelRig rig, ModelSelection model, Guid feature, Kernel kernel, UsageMeter meter, bool streaming, ChatHistory history, CancellationToken ct, int run = 1)
    {
        using var client = await rig.ClientAsync(model, "task-a", meter, feature, run);
        var chat = client.AsChatCompletionService(rig.Services);
        if (!streaming)
        {
            return (await chat.GetChatMessageContentAsync(history, Auto, kernel, ct)).Content;
        }

        var parts = new List<string>();
        await foreach (var update in chat.GetStreamingChatMessageContentsAsync(history, Auto, kernel, ct))
        {
            parts.Add(update.Content ?? "");
        }

        return string.Concat(parts);
    }

    // Records one feature: a tool call writing docs/new.md, then the answer; assembles the cassette.
    private async Task<(Guid Feature, string Cassette)> RecordAsync(ModelRig rig, bool streaming)
    {
        rig.StandIn.Enqueue(
            StandInReply.Tool("workspace_write_file", new { path = "docs/new.md", content = "# Written by a tool\n" }) with { Usage = new(100, 20) },
            StandInReply.Text("Wrote docs/new.md.", new StandInUsage(150, 5)));
        var (kernel, workspace, _) = rig.KernelWithWorkspace();
        var feature = Guid.NewGuid();
        var model = rig.Llm with { Record = true };

        var answer = await RunAsync(rig, model, feature, kernel, new UsageMeter(10), streaming, Conversation(), _ct).WaitAsync(Timeout, _ct);

        Assert.Equal("Wrote docs/new.md.", answer);
        Assert.Equal("# Written by a tool\n", File.ReadAllText(Path.Combine(workspace, "docs", "new.md")));
        var path = rig.Services.GetRequiredService<CassetteLibrary>().Assemble(feature);
        Assert.NotNull(path);
        output.WriteLine(File.ReadAllText(path));
        return (feature, path);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_recorded_conversation_replays_offline_with_the_same_tool_calls_file_and_answer(bool streaming)
    {
        await using var rig = await StartAsync(output);
        var (feature, path) = await RecordAsync(rig, streaming);
        var library = rig.Services.GetRequiredService<CassetteLibrary>();
        var name = feature.ToString("N");
        Assert.Equal(library.PathOf(name), path);
        Assert.Contains(name, library.Names());

        var cassette = library.Load(name);
        Assert.Equal(feature, cassette.Feature);
        Assert.Equal("openai:" + OpenAiStandIn.DefaultModel, cassette.Model);
        var exchanges = cassette.ExchangesOf("task-a");
        Assert.Equal([1, 2], exchanges.Select(e => e.Sequence));
        Assert.Equal([1, 2], exchanges.Select(e => e.Call));
        Assert.Equal("workspace_write_file", Assert.Single(exchanges[0].Response.ToolCalls).Name);
        Assert.Contains("workspace_write_file", exchanges[0].Request.Tools);
        // Each request ends with the budget notice of that call (the meter limits the calls to 10).
        Assert.Equal(["system", "user", "user"], exchanges[0].Request.Messages.Select(m => m.Role));
        Assert.Equal(["system", "user", "assistant", "tool", "user"], exchanges[1].Request.Messages.Select(m => m.Role));
        Assert.StartsWith("[Budget left for this task: 10 of 10 model calls.", exchanges[0].Request.Messages[2].Text, StringComparison.Ordinal);
        Assert.StartsWith("[Budget left for this task: 9 of 10 model calls.", exchanges[1].Request.Messages[4].Text, StringComparison.Ordinal);
        Assert.StartsWith("Wrote docs/new.md", exchanges[1].Request.Messages[3].ToolResults![0].Result, StringComparison.Ordinal);
        Assert.Equal(new CassetteUsage(100, 20, 120), exchanges[0].Response.Usage);
        Assert.Equal("Wrote docs/new.md.", exchanges[1].Response.Text);
        Assert.Equal("stop", exchanges[1].Response.FinishReason);

        // Nothing but messages: no key, no header.
        var files = Directory.EnumerateFiles(library.Root, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith(Path.Combine(name, "task-a.jsonl"), StringComparison.Ordinal));
        Assert.All(files, f => Assert.DoesNotContain(OpenAiStandIn.DefaultKey, File.ReadAllText(f), StringComparison.Ordinal));
        Assert.All(files, f => Assert.DoesNotContain("Bearer", File.ReadAllText(f), StringComparison.Ordinal));

        var requests = rig.StandIn.Requests.Count;
        await rig.StopStandInAsync();
        var replay = rig.Devices.Replay(name);
        Assert.Equal($"replay:{name} (recorded run, not a live model)", replay.Description);
        var (kernel, workspace, activity) = rig.KernelWithWorkspace();
        var meter = new UsageMeter(10);

        var answer = await RunAsync(rig, replay, Guid.NewGuid(), kernel, meter, streaming, Conversation(), _ct).WaitAsync(Timeout, _ct);

        Assert.Equal("Wrote docs/new.md.", answer);
        Assert.Equal("# Written by a tool\n", File.ReadAllText(Path.Combine(workspace, "docs", "new.md")));
        Assert.StartsWith("write_file", Assert.Single(activity.Calls), StringComparison.Ordinal);
        Assert.Equal(new TokenUsage(250, 25, 2), meter.Total);
        Assert.Equal(requests, rig.StandIn.Requests.Count);
    }

    [Fact]
    public async Task A_replayed_request_that_differs_fails_naming_the_agent_the_call_and_the_difference()
    {
        await using var rig = await StartAsync(output);
        var (feature, _) = await RecordAsync(rig, streaming: false);
        await rig.StopStandInAsync();
        var replay = rig.Devices.Replay(feature.ToString("N"));

        var error = await Assert.ThrowsAsync<CassetteMismatchException>(() =>
            RunAsync(rig, replay, Guid.NewGuid(), rig.KernelWithWorkspace().Kernel, new UsageMeter(10), false, Conversation("Write docs/other.md."), _ct)
                .WaitAsync(Timeout, _ct));

        output.WriteLine(error.Message);
        Assert.Contains("agent 'task-a', call 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("message 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("Write docs/new.md.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Write docs/other.md.", error.Message, StringComparison.Ordinal);

        // An agent the cassette never recorded fails as loudly.
        using var other = await rig.ClientAsync(replay, "task-b", new UsageMeter(10), Guid.NewGuid());
        var missing = await Assert.ThrowsAsync<CassetteMismatchException>(() =>
            other.AsChatCompletionService(rig.Services).GetChatMessageContentAsync(Conversation(), Auto, rig.KernelWithWorkspace().Kernel, _ct));
        Assert.Contains("no recorded calls for 'task-b'", missing.Message, StringComparison.Ordinal);
        Assert.Throws<ModelDeviceException>(() => rig.Devices.Replay("no-such-cassette"));
    }

    [Fact]
    public async Task A_script_converted_from_a_cassette_plays_to_the_same_result()
    {
        await using var rig = await StartAsync(output);
        var (feature, _) = await RecordAsync(rig, streaming: false);
        await rig.StopStandInAsync();
        var cassette = rig.Services.GetRequiredService<CassetteLibrary>().Load(feature.ToString("N"));

        var json = CassetteToScript.Convert(cassette);
        output.WriteLine(json);
        var scripts = Path.Combine(rig.Services.GetRequiredService<CassetteLibrary>().Root, "scripts");
        Directory.CreateDirectory(scripts);
        File.WriteAllText(Path.Combine(scripts, "from-cassette.json"), json);
        var script = ModelScriptParser.Parse("from-cassette", json);
        Assert.Equal(2, script.TurnsFor("task-a").Count);

        var (kernel, workspace, activity) = rig.KernelWithWorkspace();
        var answer = await RunAsync(rig, rig.Devices.Script("from-cassette"), Guid.NewGuid(), kernel, new UsageMeter(10), false, Conversation(), _ct)
            .WaitAsync(Timeout, _ct);

        Assert.Equal("Wrote docs/new.md.", answer);
        Assert.Equal("# Written by a tool\n", File.ReadAllText(Path.Combine(workspace, "docs", "new.md")));
        Assert.Single(activity.Calls);
    }

    [Fact]
    public async Task A_scripted_feature_can_be_recorded_and_each_conversation_of_an_agent_is_a_run_of_its_own()
    {
        await using var rig = await StartAsync(output);
        var library = rig.Services.GetRequiredService<CassetteLibrary>();
        var scripts = Path.Combine(library.Root, "scripts");
        Directory.CreateDirectory(scripts);
        File.WriteAllText(Path.Combine(scripts, "answer.json"), """{ "agents": { "task-a": [ { "content": "Nothing to do." } ] } }""");
        var feature = Guid.NewGuid();
        var model = rig.Devices.Script("answer") with { Record = true };

        // Two attempts of the same task: two runs in one per-agent file.
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            Assert.Equal("Nothing to do.", await RunAsync(
                rig, model, feature, rig.KernelWithWorkspace().Kernel, new UsageMeter(10), false, Conversation($"attempt {attempt}"), _ct, run: attempt));
        }

        library.Assemble(feature);
        var cassette = library.Load(feature.ToString("N"));
        Assert.Equal([(1, 1, 1), (2, 2, 1)], cassette.ExchangesOf("task-a").Select(e => (e.Sequence, e.Run, e.Call)));
        Assert.StartsWith("scripted:answer", cassette.Model, StringComparison.Ordinal);

        // Replayed, each attempt of the task in the new feature plays the run of the same number.
        var replay = rig.Devices.Replay(feature.ToString("N"));
        var replayed = Guid.NewGuid();
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            Assert.Equal("Nothing to do.", await RunAsync(
                rig, replay, replayed, rig.KernelWithWorkspace().Kernel, new UsageMeter(10), false, Conversation($"attempt {attempt}"), _ct, run: attempt));
        }

        var third = await Assert.ThrowsAsync<CassetteMismatchException>(() =>
            RunAsync(rig, replay, replayed, rig.KernelWithWorkspace().Kernel, new UsageMeter(10), false, Conversation("attempt 3"), _ct, run: 3));
        Assert.Contains("not run 3", third.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Volatile_parts_are_normalised_before_requests_are_compared()
    {
        var id = Guid.NewGuid();
        var recorded = $"Branch orchestrator/tasks/{id:N}/implement-power in {Path.Combine(Path.GetTempPath(), "ws-1", "repo")} took 1.2 s at 2025-01-02T03:04:05Z";
        var replayed = $"Branch orchestrator/tasks/{Guid.NewGuid():N}/implement-power in {Path.Combine(Path.GetTempPath(), "ws-2", "repo")} took 340 ms at 2026-05-06T07:08:09Z";

        Assert.Equal(CassetteMatcher.Normalize(recorded), CassetteMatcher.Normalize(replayed));
        Assert.NotEqual(CassetteMatcher.Normalize("implement-power"), CassetteMatcher.Normalize("implement-square"));
    }
}
