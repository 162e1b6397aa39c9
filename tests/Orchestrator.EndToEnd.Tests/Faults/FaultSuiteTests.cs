namespace Orchestrator.EndToEnd.Tests.Faults;

/// <summary>
/// The fault suite (issue 10): a short feature, run three times per scenario with the fault at a random moment of it —
/// each service killed with SIGKILL, the broker stopped and started, the state store (PostgreSQL) stopped and started.
/// Whatever happens, the feature ends Completed, or Failed with the reason, within three minutes beyond its fault-free
/// time; never more than one pull request; a completed feature carries every task's work; afterwards no message waits
/// in any queue but <c>_error</c>, and what is there is listed. The figures go to docs/reliability.md. The faults done
/// with messages are in <see cref="MessageFaultTests"/>.
/// </summary>
[Collection(OrchestratorCollection.Name)]
public sealed class FaultSuiteTests(OrchestratorApp app)
{
    /// <summary>The model script the stand-in plays for these features (Faults/fault-suite.json).</summary>
    public const string Script = "fault-suite";

    private const int RunsPerScenario = 3;

    public static TheoryData<string> Scenarios => new(Faults.Scenarios);

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task A_feature_hit_by_the_fault_ends_completed_or_failed_with_the_reason_and_at_most_one_pull_request(string scenario)
    {
        var ct = TestContext.Current.CancellationToken;
        using var queues = new BrokerQueues(Environment.GetEnvironmentVariable("ConnectionStrings__messaging")!);
        var feature = new FaultFeature(app);
        await feature.EnsureFaultFreeAsync();

        var before = await queues.DepthsAsync(ct);
        for (var run = 0; run < RunsPerScenario; run++)
        {
            var at = FaultReport.FaultFree * Random.Shared.NextDouble();
            var submitted = await feature.SubmitAsync();
            await Task.Delay(at, ct);
            await Faults.ApplyAsync(app, scenario);
            var end = await feature.EndAsync(submitted);
            FaultReport.Add(new FaultRun(scenario, end.State, end.Reason, end.Took, end.PullRequests, FaultReport.Seconds(at) + " s"));
            TestContext.Current.TestOutputHelper?.WriteLine($"{scenario} at {at.TotalSeconds:0.0} s: {end.State} after {end.Took.TotalSeconds:0.0} s {end.Reason}");
        }

        await queues.AssertSettledAsync(before, ct);
        FaultReport.Write();
    }
}
