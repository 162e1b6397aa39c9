namespace Orchestrator.EndToEnd.Tests.Faults;

/// <summary>
/// The fault suite's faults done with messages, on the real broker and the running system, three runs each, with the
/// after-checks of <see cref="FaultSuiteTests"/>: every message a feature causes delivered a second time, as after a
/// lost acknowledgement; a poison message among running features; a burst of events racing on one feature's saga.
/// </summary>
[Collection(OrchestratorCollection.Name)]
public sealed class MessageFaultTests(OrchestratorApp app)
{
    private const int RunsPerScenario = 3;

    private static string Messaging => Environment.GetEnvironmentVariable("ConnectionStrings__messaging")!;

    [Fact]
    public Task A_feature_whose_every_message_is_delivered_twice_completes_once_with_nothing_done_twice() =>
        RunWithCopiesAsync(MessageFaults.Duplicates, _ => 1);

    [Fact]
    public Task A_burst_of_starts_heartbeats_and_completions_on_one_saga_loses_no_update() =>
        RunWithCopiesAsync(MessageFaults.Burst, MessageFaults.BurstCopiesOf);

    [Fact]
    public Task A_poison_message_lands_in_error_and_fails_the_feature_it_names_and_no_other() => RunScenarioAsync(PoisonRunAsync);

    /// <summary>Runs the scenario's <paramref name="run"/> three times, each given the queues' depths from before it.</summary>
    private async Task RunScenarioAsync(Func<FaultFeature, BrokerQueues, IReadOnlyDictionary<string, long>, Task> run)
    {
        using var queues = new BrokerQueues(Messaging);
        var feature = new FaultFeature(app);
        await feature.EnsureFaultFreeAsync();
        for (var i = 0; i < RunsPerScenario; i++)
        {
            await run(feature, queues, await queues.DepthsAsync(TestContext.Current.CancellationToken));
        }

        FaultReport.Write();
    }

    private static async Task PoisonRunAsync(FaultFeature feature, BrokerQueues queues, IReadOnlyDictionary<string, long> before)
    {
        var ct = TestContext.Current.CancellationToken;
        var named = await feature.SubmitAsync();
        var beside = await feature.SubmitAsync();
        var (featureId, taskId, attempt) = await DispatchedTaskAsync(feature, named);
        var at = named.Started.Elapsed;
        var sent = await MessageFaults.SendPoisonAsync(Messaging, featureId, taskId, attempt, ct);

        var namedEnd = await feature.EndAsync(named);
        var besideEnd = await feature.EndAsync(beside);
        FaultReport.Add(new FaultRun(MessageFaults.PoisonNamed, namedEnd.State, namedEnd.Reason, namedEnd.Took, namedEnd.PullRequests,
            FaultReport.Seconds(at) + " s", $"{sent}: 1 unreadable, 1 throwing"));
        FaultReport.Add(new FaultRun(MessageFaults.PoisonBeside, besideEnd.State, besideEnd.Reason, besideEnd.Took, besideEnd.PullRequests,
            FaultReport.Seconds(at) + " s", "none naming it"));
        Log($"poison at {at.TotalSeconds:0.0} s: named {namedEnd.State} ({namedEnd.Reason}), beside {besideEnd.State}");

        Assert.True(namedEnd.State == "Failed" && namedEnd.Reason!.Contains("could not process TaskCompleted (NullReferenceException", StringComparison.Ordinal),
            $"the feature the poison names ended {namedEnd.State}: {namedEnd.Reason}");
        Assert.True(besideEnd.State == "Completed", $"the feature beside the poison ended {besideEnd.State}: {besideEnd.Reason}");
        // Every message in _error is one of ours: nothing else of either feature was lost there.
        var added = await queues.AssertSettledAsync(before, ct, expectedErrors: sent);
        Assert.True(added.Count == 1 && added.GetValueOrDefault($"{MessageFaults.PoisonQueue}_error") == sent,
            $"sent {sent} poison messages to {MessageFaults.PoisonQueue}; the _error queues gained: {string.Join(", ", added)}");
    }

    /// <summary>
    /// Runs the feature with every message of the types <paramref name="copiesOf"/> names published again that many
    /// times while it runs; afterwards it must look as if nothing had happened, and nothing may be in <c>_error</c>.
    /// </summary>
    private Task RunWithCopiesAsync(string row, Func<string, int> copiesOf) =>
        RunScenarioAsync((feature, queues, before) => CopiesRunAsync(row, copiesOf, feature, queues, before));

    private static async Task CopiesRunAsync(
        string row, Func<string, int> copiesOf, FaultFeature feature, BrokerQueues queues, IReadOnlyDictionary<string, long> before)
    {
        var ct = TestContext.Current.CancellationToken;
        var duplicator = await BusDuplicator.StartAsync(Messaging, copiesOf, ct);
        FaultRun? report = null;
        try
        {
            var submitted = await feature.SubmitAsync();
            var end = await feature.EndAsync(submitted);
            // Copies still on their way (a late ConsolidateFeature, say) are published and processed before the checks.
            await duplicator.DisposeAsync();
            var added = await queues.AssertSettledAsync(before, ct);
            end = end with { ModelCalls = feature.ModelCallsOf(submitted) };
            report = new FaultRun(row, end.State, end.Reason, end.Took, end.PullRequests, "throughout", duplicator.Summary);
            Log($"{row}: {end.State} after {end.Took.TotalSeconds:0.0} s, {end.ModelCalls} model calls; copies: " +
                string.Join(", ", duplicator.InjectedByType.OrderBy(type => type.Key).Select(type => $"{type.Key} {type.Value}")));
            FaultFeature.AssertUntouched(submitted, end);
            Assert.True(added.Count == 0, "messages delivered again ended in _error: " + string.Join(", ", added));
        }
        finally
        {
            await duplicator.DisposeAsync();
            if (report is not null)
            {
                FaultReport.Add(report);
            }
        }
    }

    // The poison must reach the saga while a task's attempt is out, or the saga ignores it as a late completion.
    private static async Task<(Guid FeatureId, string TaskId, int Attempt)> DispatchedTaskAsync(FaultFeature feature, FeatureRun run)
    {
        (string Id, int Attempt)? dispatched = null;
        var found = await Eventually.TrueAsync(async () =>
        {
            var tasks = (await feature.ReadAsync(run)).GetProperty("tasks").EnumerateArray();
            dispatched = tasks.Where(task => task.GetProperty("state").GetString() is "Queued" or "Running")
                .Select(task => (task.GetProperty("id").GetString()!, task.GetProperty("attempts").GetInt32()))
                .Cast<(string, int)?>()
                .FirstOrDefault();
            return dispatched is not null;
        }, Eventually.DefaultTimeout);
        Assert.True(found, "no task of the feature the poison names was ever out with an agent");
        return (Guid.Parse(run.Location.Split('/')[^1]), dispatched!.Value.Id, dispatched.Value.Attempt);
    }

    private static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);
}
