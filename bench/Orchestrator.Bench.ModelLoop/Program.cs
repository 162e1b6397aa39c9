using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Orchestrator.Agents;
using Orchestrator.Llm;
using Orchestrator.Testing;
using Orchestrator.Workspaces;

// The agent loop's own time per model call, excluding the model's: Semantic Kernel's function-calling loop through
// ChatModelFactory's pipeline (usage meter, telemetry, kernel function invocation, argument check, resilience handler,
// the OpenAI SDK) against the stand-in answering at once. The model's time is what the stand-in spends on a request
// (from receiving it to the end of its answer); everything else in a run is the loop's: building and sending the
// request, reading the answer, running the tool (reading a 100-byte file), the next request.
//
//   dotnet run -c Release --project bench/Orchestrator.Bench.ModelLoop [-- --runs 200 --rounds 10]
var runs = Argument("--runs", 200);
var rounds = Argument("--rounds", 10);
var warmup = Argument("--warmup", 30);
var output = Path.GetFullPath(Path.Combine(Argument2("--results", FindResults()), "model-loop.json"));

await using var standIn = await OpenAiStandIn.StartAsync();
standIn.ExpectedKey = OpenAiStandIn.DefaultKey;
// Tool calls until the conversation holds `rounds` tool results, then the final answer.
standIn.Fallback = request => request.ToolMessages.Count < rounds
    ? StandInReply.Tool("workspace_read_file", new { path = "notes.txt" }) with { Usage = new(500, 20) }
    : StandInReply.Text("Read the notes.", new StandInUsage(600, 5));

var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["ConnectionStrings:llm"] = standIn.ConnectionString(),
    ["Models:ScriptsPath"] = Path.GetTempPath(),
}).Build();
await using var services = new ServiceCollection()
    .AddSingleton<IConfiguration>(configuration)
    .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
    .AddOrchestratorModels()
    .BuildServiceProvider();
var factory = services.GetRequiredService<ChatModelFactory>();
var workspace = Directory.CreateTempSubdirectory("orchestrator-bench-");
File.WriteAllText(Path.Combine(workspace.FullName, "notes.txt"), new string('n', 100));

var results = new List<Scenario>();
try
{
    foreach (var streaming in new[] { false, true })
    {
        var scenario = streaming ? "streaming" : "non-streaming";
        for (var i = 0; i < warmup; i++)
        {
            await RunAsync(streaming);
        }

        var perCall = new List<double>();
        var gaps = new List<double>();
        var modelTimes = new List<double>();
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++)
        {
            var run = await RunAsync(streaming);
            perCall.Add(run.OverheadPerCallMs);
            gaps.AddRange(run.GapsMs);
            modelTimes.AddRange(run.ModelTimesMs);
        }

        wall.Stop();
        results.Add(new Scenario(
            scenario, runs, rounds + 1, runs * (rounds + 1),
            Stats.Of(perCall), Stats.Of(gaps), Stats.Of(modelTimes),
            Math.Round(runs * (rounds + 1) / wall.Elapsed.TotalSeconds, 1)));
    }
}
finally
{
    workspace.Delete(recursive: true);
}

Print(results);
var report = new
{
    benchmark = "model-loop",
    measuredAt = DateTimeOffset.UtcNow,
    machine = new { Environment.ProcessorCount, os = System.Runtime.InteropServices.RuntimeInformation.OSDescription, dotnet = Environment.Version.ToString() },
    rounds,
    runs,
    warmup,
    note = "overhead = run wall time minus the stand-in's time on its requests, per model call; gap = from the end of one answer to the arrival of the next request (answer parsing, tool, next request)",
    scenarios = results,
};
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
File.WriteAllText(output, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
Console.WriteLine($"\nwrote {output}");
return 0;

async Task<Run> RunAsync(bool streaming)
{
    var first = standIn.Requests.Count;
    var meter = new UsageMeter(rounds + 5);
    var kernel = new Kernel(services);
    kernel.Plugins.AddFromObject(
        new WorkspacePlugin(new WorkspaceRoot(workspace.FullName), new BubblewrapCommandRunner(new ProcessRunner(NullLogger<ProcessRunner>.Instance),
            Microsoft.Extensions.Options.Options.Create(new SandboxOptions()), NullLogger<BubblewrapCommandRunner>.Instance), new AgentOptions(),
            new ToolActivityLog(NullLogger.Instance, "bench")),
        WorkspacePlugin.PluginName);
    var history = new ChatHistory("You are a benchmark agent.");
    history.AddUserMessage("Read notes.txt, again and again.");
    var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };

    var started = Stopwatch.GetTimestamp();
    using (var client = await factory.CreateAsync(factory.SelectLive(null), new ModelConversation(Guid.Empty, "bench", 1), meter, CancellationToken.None))
    {
        var chat = client.AsChatCompletionService(services);
        if (streaming)
        {
            await foreach (var _ in chat.GetStreamingChatMessageContentsAsync(history, settings, kernel))
            {
            }
        }
        else
        {
            await chat.GetChatMessageContentAsync(history, settings, kernel);
        }
    }

    var elapsed = Stopwatch.GetElapsedTime(started);
    var requests = standIn.Requests.Skip(first).ToList();
    while (requests.Any(r => r.Handling == TimeSpan.Zero))
    {
        // The stand-in notes its time just after the last byte is written.
        await Task.Yield();
    }

    if (requests.Count != rounds + 1 || meter.Total.Calls != rounds + 1)
    {
        throw new InvalidOperationException($"expected {rounds + 1} calls, saw {requests.Count} requests and {meter.Total.Calls} metered calls");
    }

    var model = requests.Sum(r => r.Handling.TotalMilliseconds);
    var gaps = requests.Zip(requests.Skip(1), (a, b) =>
        Stopwatch.GetElapsedTime(a.StartedAt, b.StartedAt).TotalMilliseconds - a.Handling.TotalMilliseconds).ToList();
    return new Run((elapsed.TotalMilliseconds - model) / requests.Count, gaps, requests.Select(r => r.Handling.TotalMilliseconds).ToList());
}

static void Print(IReadOnlyList<Scenario> results)
{
    Console.WriteLine("Agent loop overhead per model call, excluding the model's time (stand-in answering at once), ms");
    Console.WriteLine();
    Console.WriteLine($"{"scenario",-14} {"calls",6} {"overhead mean",14} {"p50",7} {"p95",7} {"gap mean",9} {"p50",7} {"p95",7} {"model p50",10} {"calls/s",8}");
    foreach (var r in results)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{r.Name,-14} {r.Calls,6} {r.OverheadPerCallMs.Mean,14:0.000} {r.OverheadPerCallMs.P50,7:0.000} {r.OverheadPerCallMs.P95,7:0.000} {r.GapMs.Mean,9:0.000} {r.GapMs.P50,7:0.000} {r.GapMs.P95,7:0.000} {r.ModelTimeMs.P50,10:0.000} {r.CallsPerSecond,8:0.0}"));
    }
}

int Argument(string name, int fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;

string Argument2(string name, string fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;

string FindResults()
{
    // bench/results next to this project, found from the working directory or the binary's location.
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "bench", "Orchestrator.Bench.ModelLoop")))
            {
                return Path.Combine(dir.FullName, "bench", "results");
            }
        }
    }

    return Path.Combine(Directory.GetCurrentDirectory(), "bench", "results");
}

internal sealed record Run(double OverheadPerCallMs, IReadOnlyList<double> GapsMs, IReadOnlyList<double> ModelTimesMs);

internal sealed record Scenario(
    string Name, int Runs, int CallsPerRun, int Calls, Stats OverheadPerCallMs, Stats GapMs, Stats ModelTimeMs, double CallsPerSecond);

internal sealed record Stats(double Mean, double P50, double P95, double Max)
{
    public static Stats Of(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new Stats(Math.Round(sorted.Average(), 4), Math.Round(At(0.50), 4), Math.Round(At(0.95), 4), Math.Round(sorted[^1], 4));
    }
}
