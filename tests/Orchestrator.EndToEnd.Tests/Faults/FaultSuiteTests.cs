using System.Diagnostics;
using System.Text.Json;

namespace Orchestrator.EndToEnd.Tests.Faults;

/// <summary>
/// The fault suite (issue 10): a short feature, run three times per scenario with the fault at a random moment of it —
/// each service killed with SIGKILL, the broker stopped and started. Whatever happens, the feature ends Completed, or
/// Failed with the reason, within three minutes beyond its fault-free time; never more than one pull request; a
/// completed feature carries every task's work; afterwards no message waits in any queue but <c>_error</c>, and what is
/// there is listed. The figures go to docs/reliability.md.
/// </summary>
[Collection(OrchestratorCollection.Name)]
public sealed class FaultSuiteTests(OrchestratorApp app)
{
    /// <summary>The model script the stand-in plays for these features (Faults/fault-suite.json).</summary>
    public const string Script = "fault-suite";

    private const int RunsPerScenario = 3;
    private static readonly TimeSpan Beyond = TimeSpan.FromMinutes(3);
    private static readonly string[] EveryTasksWork = ["src/greeting.txt", "tests/greeting.check", "docs/greeting.md"];

    public static TheoryData<string> Scenarios => new(Faults.Scenarios);

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task A_feature_hit_by_the_fault_ends_completed_or_failed_with_the_reason_and_at_most_one_pull_request(string scenario)
    {
        var ct = TestContext.Current.CancellationToken;
        using var queues = new BrokerQueues(Environment.GetEnvironmentVariable("ConnectionStrings__messaging")!);
        if (FaultReport.FaultFree == TimeSpan.Zero)
        {
            var (state, _, took, _) = await RunAsync(fault: null, TimeSpan.Zero);
            Assert.Equal("Completed", state);
            FaultReport.FaultFree = took;
        }

        var errorsBefore = BrokerQueues.Errors(await queues.DepthsAsync(ct));
        for (var run = 0; run < RunsPerScenario; run++)
        {
            var at = FaultReport.FaultFree * Random.Shared.NextDouble();
            var (state, reason, took, pullRequests) = await RunAsync(scenario, at);
            FaultReport.Add(new FaultRun(scenario, state, reason, took, pullRequests, at));
            TestContext.Current.TestOutputHelper?.WriteLine($"{scenario} at {at.TotalSeconds:0.0} s: {state} after {took.TotalSeconds:0.0} s {reason}");
        }

        var depths = await DrainedAsync(queues);
        Assert.True(BrokerQueues.Undelivered(depths).Count == 0, "messages left undelivered: " + string.Join(", ", BrokerQueues.Undelivered(depths)));
        FaultReport.AddErrorMessages(BrokerQueues.Errors(depths) - errorsBefore);
        foreach (var message in await queues.ErrorMessagesAsync(depths, ct))
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"in _error: {message}");
        }

        FaultReport.Write();
    }

    /// <summary>One feature from submission to its end, with <paramref name="fault"/> applied <paramref name="at"/> after submission.</summary>
    private async Task<(string State, string? Reason, TimeSpan Took, int PullRequests)> RunAsync(string? fault, TimeSpan at)
    {
        var ct = TestContext.Current.CancellationToken;
        var repository = TargetRepository.Create(app.Root, "greeting", new Dictionary<string, string>
        {
            ["README.md"] = "# Greeting\n",
            // About two seconds each, so a fault can land while a command runs.
            [".orchestrator.json"] = """
                {"build": ["bash", "-c", "sleep 2; test ! -e src/greeting.txt || grep -q Hello src/greeting.txt"],
                 "test": ["bash", "-c", "sleep 2; test ! -e tests/greeting.check || grep -q Hello tests/greeting.check"]}
                """,
        });
        var started = Stopwatch.StartNew();
        var response = await app.Api.PostAsJsonAsync("/features", new { repository, request = $"Add the greeting {ScriptedStandIn.Selecting(Script)}" }, ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(ct));

        var location = response.Headers.Location!.ToString();
        if (fault is not null)
        {
            await Task.Delay(at, ct);
            await Faults.ApplyAsync(app, fault);
        }

        var feature = await app.WaitForEndAsync(location, FaultReport.FaultFree + Beyond);
        var took = started.Elapsed;
        var state = feature.GetProperty("state").GetString()!;
        var reason = feature.GetProperty("failureReason").GetString();
        var pullRequests = TargetRepository.PullRequests(repository).Count;
        AssertEndedWell(feature, state, reason, pullRequests, repository);
        return (state, reason, took, pullRequests);
    }

    private static void AssertEndedWell(JsonElement feature, string state, string? reason, int pullRequests, string repository)
    {
        Assert.True(state is "Completed" or "Failed", $"the feature ended {state}: {feature}");
        Assert.True(pullRequests <= 1, $"{pullRequests} pull requests for one feature: {feature}");
        if (state == "Failed")
        {
            Assert.False(string.IsNullOrWhiteSpace(reason), $"failed without a reason: {feature}");
            return;
        }

        Assert.Equal(1, pullRequests);
        var head = feature.GetProperty("pullRequest").GetProperty("head").GetString()!;
        var files = TargetRepository.Files(repository, head);
        Assert.All(EveryTasksWork, file => Assert.Contains(file, files));
    }

    // The management API's figures lag the queues by a few seconds; a message still moving is not a lost one.
    private static async Task<IReadOnlyDictionary<string, long>> DrainedAsync(BrokerQueues queues)
    {
        IReadOnlyDictionary<string, long> depths = new Dictionary<string, long>();
        await Eventually.TrueAsync(async () =>
        {
            depths = await queues.DepthsAsync(TestContext.Current.CancellationToken);
            return BrokerQueues.Undelivered(depths).Count == 0;
        }, TimeSpan.FromSeconds(60));
        return depths;
    }
}
