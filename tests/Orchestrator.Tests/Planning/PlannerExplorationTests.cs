using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Contracts;
using Orchestrator.Features;
using Orchestrator.Persistence.Transcripts;
using Orchestrator.Testing;
using Orchestrator.Workspaces;

namespace Orchestrator.Tests.Planning;

/// <summary>
/// The planner reading the base branch before it plans: a clone of the work repository, its instruction files, the
/// read-only tools offered to an OpenAI-compatible endpoint (the stand-in), the bounds, and the transcript.
/// </summary>
public sealed class PlannerExplorationTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = Eventually.DefaultTimeout;

    private static readonly object PlanWithFiles = new
    {
        title = "Add Power",
        summary = "Adds Arithmetic.Power.",
        @interface = "namespace Calculator; public static class Arithmetic { public static double Power(double @base, int exponent); }",
        tasks = new object[]
        {
            new { id = "implement-power", role = "coder", title = "Implement Power", instructions = "Add Power.", dependsOn = Array.Empty<string>(), files = new[] { "src/Calculator/Arithmetic.cs" } },
            new { id = "test-power", role = "tester", title = "Test Power", instructions = "Test Power.", dependsOn = Array.Empty<string>(), files = new[] { "tests/PowerTests.cs" } },
        },
    };

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private sealed record Run(object Outcome, IReadOnlyList<StandInRequest> Requests, IReadOnlyList<TranscriptEntry> Transcript);

    private async Task<string> CreateRepositoryAsync()
    {
        var path = _temp.CreateDirectory("work");
        var runner = new ProcessRunner(NullLogger<ProcessRunner>.Instance);
        var ct = TestContext.Current.CancellationToken;
        var git = await GitRepository.InitAsync(runner, path, "main", ct);
        await git.ConfigureIdentityAsync("Test Seed", "seed@example.invalid", ct);
        _temp.WriteFile("work/src/Calculator/Arithmetic.cs", "namespace Calculator;\npublic static class Arithmetic { }\n");
        _temp.WriteFile("work/AGENTS.md", "Tests are xUnit, one file per feature.\u202E Keep warnings at zero.");
        _temp.WriteFile("work/src/AGENTS.md", "Library code: XML docs on every public member.");
        _temp.WriteFile("work/CONTRIBUTING.md", "Small commits.");
        await git.CommitAllAsync("Initial commit", ct);
        return path;
    }

    private async Task<Run> PlanAsync(Func<StandInRequest, StandInReply> model, string? workRepository, Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings["Planner:WorkRoot"] = _temp.Combine("planner");
        var store = TaskTranscriptStore.Create($"Data Source={_temp.Combine("state.db")}");
        await using var rig = await ModelRig.StartAsync(output, settings: settings, configure: services =>
        {
            services.AddSingleton(store);
            services.AddMassTransitTestHarness(x =>
            {
                x.DisableUsageTelemetry();
                x.AddPlanner();
            });
        });
        rig.StandIn.Fallback = model;
        var harness = rig.Services.GetRequiredService<ITestHarness>();
        await harness.Start().WaitAsync(Timeout, TestContext.Current.CancellationToken);

        var featureId = NewId.NextGuid();
        await harness.Bus.Publish(
            new PlanFeature(featureId, "/repos/calculator.git", "main", "Add a Power function.", rig.Llm) { WorkRepository = workRepository },
            TestContext.Current.CancellationToken);
        var outcome = await harness.OutcomeAsync(m => m switch
        {
            FeaturePlanned p => p.FeatureId == featureId,
            FeaturePlanRejected r => r.FeatureId == featureId,
            _ => false,
        }, $"planning feature {featureId}", timeout: Timeout);
        return new Run(outcome, [.. rig.StandIn.Requests], await store.ReadAsync(featureId, "planner", TestContext.Current.CancellationToken));
    }

    private static int Turn(StandInRequest request) => request.Messages.Count(m => m.Role == "assistant");

    private static string Offered(StandInRequest request, string function) => request.ToolNames.Single(n => n.EndsWith(function, StringComparison.Ordinal));

    [Fact]
    public async Task The_planner_reads_the_base_branch_with_read_only_tools_then_plans_with_files_and_the_instructions_used()
    {
        var repository = await CreateRepositoryAsync();

        var run = await PlanAsync(request => Turn(request) == 0
            ? StandInReply.Tool(Offered(request, "read_file"), new { path = "src/Calculator/Arithmetic.cs" })
            : StandInReply.Json(PlanWithFiles), repository);

        var planned = Assert.IsType<FeaturePlanned>(run.Outcome);
        Assert.Equal(["src/Calculator/Arithmetic.cs"], planned.Tasks[0].Files);
        Assert.Equal(["AGENTS.md", "CONTRIBUTING.md"], planned.InstructionFiles);
        // The tool definitions went to the endpoint: the three read-only tools, nothing that writes or runs.
        Assert.Equal(3, run.Requests[0].ToolNames.Count);
        Assert.All(run.Requests[0].ToolNames, n => Assert.StartsWith("repository", n, StringComparison.Ordinal));
        var briefing = run.Requests[0].Messages.First(m => m.Role == "user").Content!;
        Assert.Contains("<<< repository-instructions file=\"AGENTS.md\"", briefing, StringComparison.Ordinal);
        Assert.Contains("Keep warnings at zero.", briefing, StringComparison.Ordinal);
        Assert.DoesNotContain('\u202E', briefing);
        Assert.Contains("src/AGENTS.md", briefing, StringComparison.Ordinal);
        Assert.Contains("public static class Arithmetic", Assert.Single(run.Requests[1].ToolMessages).Content, StringComparison.Ordinal);
        // The transcript shows the exploration; the clone is gone.
        Assert.Contains(run.Transcript, e => e.Kind == "tool" && e.Name == "repository_read_file" && e.Ok && e.Result!.Contains("Arithmetic", StringComparison.Ordinal));
        Assert.Contains(run.Transcript, e => e.Kind == "model");
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Combine("planner")));
    }

    [Fact]
    public async Task Tool_calls_past_the_limit_are_refused_and_a_plan_asked_for_again_is_asked_without_tools()
    {
        var repository = await CreateRepositoryAsync();

        var run = await PlanAsync(request => Turn(request) switch
        {
            < 2 => StandInReply.Tool(Offered(request, "list_files"), new { path = "." }),
            2 => StandInReply.Text("I need to look further before I plan."),
            _ => StandInReply.Json(PlanWithFiles),
        }, repository, new() { ["Planner:MaxToolCalls"] = "1" });

        Assert.IsType<FeaturePlanned>(run.Outcome);
        Assert.Equal(4, run.Requests.Count);
        Assert.Contains("AGENTS.md", run.Requests[1].ToolMessages[0].Content, StringComparison.Ordinal);
        Assert.StartsWith("Error: the planner may make at most 1 tool calls", run.Requests[2].ToolMessages[1].Content, StringComparison.Ordinal);
        Assert.NotEmpty(run.Requests[2].ToolNames);
        Assert.Empty(run.Requests[3].ToolNames);
    }

    [Fact]
    public async Task With_reading_off_the_planner_plans_from_the_request_alone_without_tools()
    {
        var repository = await CreateRepositoryAsync();

        var run = await PlanAsync(_ => StandInReply.Json(PlanWithFiles), repository, new() { ["Planner:ReadRepository"] = "false" });

        var planned = Assert.IsType<FeaturePlanned>(run.Outcome);
        Assert.Empty(planned.InstructionFiles);
        Assert.Empty(Assert.Single(run.Requests).ToolNames);
        Assert.DoesNotContain("repository-instructions", run.Requests[0].Messages.First(m => m.Role == "user").Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_work_repository_that_cannot_be_read_rejects_the_plan_with_the_reason()
    {
        var run = await PlanAsync(_ => StandInReply.Json(PlanWithFiles), _temp.Combine("missing.git"));

        var rejected = Assert.IsType<FeaturePlanRejected>(run.Outcome);
        Assert.StartsWith("the planner could not read the base branch: ", rejected.Reason, StringComparison.Ordinal);
        Assert.Empty(run.Requests);
    }
}
