using System.Diagnostics;

namespace Orchestrator.Bench.Orchestration;

/// <summary>Overhead per feature and parallel speedup: features run one at a time on an otherwise idle system.</summary>
internal sealed class LatencyScenarios(BenchEnvironment environment, BenchOptions options)
{
    private static readonly TimeSpan FeatureTimeout = TimeSpan.FromMinutes(2);
    private const int WarmUpFeatures = 3;

    /// <summary>End-to-end time minus the critical path of the demo-shaped plan, git excluded or included.</summary>
    public async Task<OverheadResult> OverheadAsync(string store, bool git, int features)
    {
        await using var system = await BenchSystem.StartAsync(environment, store, orchestrators: 1, withMerge: git);
        var repository = await TargetRepositoryAsync(system, git);
        var ledger = new TaskLedger();
        await using var agents = new SimulatedAgents(environment.Broker, Simulation(system, options.TaskLatencyMs, 4, git), ledger);
        await agents.StartAsync(replicas: 1);
        await using var driver = await FeatureDriver.StartAsync(environment.Broker, repository);

        var plan = BenchPlan.DemoShape;
        for (var i = 0; i < WarmUpFeatures; i++)
        {
            await driver.RunOneAsync(plan, FeatureTimeout, CancellationToken.None);
        }

        var endToEnd = new List<double>();
        var criticalPaths = new List<double>();
        var overheads = new List<double>();
        var phases = new List<OverheadPhases>();
        var failed = 0;
        for (var i = 0; i < features; i++)
        {
            var run = await driver.RunOneAsync(plan, FeatureTimeout, CancellationToken.None);
            if (!run.Completed)
            {
                failed++;
                Console.Error.WriteLine($"  a feature failed: {run.Reason}");
                continue;
            }

            var criticalPath = plan.CriticalPathMs(ledger.TasksOf(run.Id));
            endToEnd.Add(run.EndToEndMs);
            criticalPaths.Add(criticalPath);
            overheads.Add(run.EndToEndMs - criticalPath);
            phases.Add(PhasesOf(run, ledger));
        }

        return new OverheadResult(git ? "included" : "excluded", store, plan.Script, features, failed,
            LatencySummary.Of(endToEnd), LatencySummary.Of(criticalPaths), LatencySummary.Of(overheads))
        {
            PhaseMediansMs = phases.Count > 0 ? OverheadPhaseMedians.Of(phases) : null,
        };
    }

    private static OverheadPhases PhasesOf(FeatureRun run, TaskLedger ledger)
    {
        double Ms(long ticks) => Stopwatch.GetElapsedTime(run.SubmittedTicks, ticks).TotalMilliseconds;
        var records = ledger.RecordsOf(run.Id);
        var tasks = run.Plan.Tasks
            .Select(t => new TaskTimes(t.Id, t.DependsOn, Ms(records[t.Id].ArrivedTicks), Ms(records[t.Id].AnsweredTicks)))
            .ToList();
        return OverheadPhases.Of(tasks, run.EndToEndMs);
    }

    /// <summary>
    /// The three-equal-task plan with agents that take three tasks at once, then one at a time (the same plan, only the
    /// capacity differs), against Task.WhenAll of three waits and the same waits one after another, in this process.
    /// </summary>
    public async Task<SpeedupResult> SpeedupAsync(string store)
    {
        await using var system = await BenchSystem.StartAsync(environment, store, orchestrators: 1, withMerge: false);
        var latency = options.TaskLatencyMs;
        var parallel = await MedianFeatureAsync(system, concurrency: 3, latency);
        var sequential = await MedianFeatureAsync(system, concurrency: 1, latency);

        var whenAll = new List<double>();
        var inProcessSequential = new List<double>();
        for (var i = 0; i < options.SpeedupFeatures; i++)
        {
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Delay(latency)));
            whenAll.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            for (var task = 0; task < 3; task++)
            {
                await Task.Delay(latency);
            }

            inProcessSequential.Add(clock.Elapsed.TotalMilliseconds);
        }

        return new SpeedupResult(latency, options.SpeedupFeatures, parallel, sequential,
            LatencySummary.Of(whenAll).P50, LatencySummary.Of(inProcessSequential).P50);
    }

    private async Task<double> MedianFeatureAsync(BenchSystem system, int concurrency, int latencyMs)
    {
        var ledger = new TaskLedger();
        // Only the coder queue matters to this plan; its capacity alone decides parallel or one at a time.
        await using var agents = new SimulatedAgents(environment.Broker, Simulation(system, latencyMs, concurrency, git: false), ledger);
        await agents.StartAsync(replicas: 1, roles: [Messaging.Queues.Coder]);
        await using var driver = await FeatureDriver.StartAsync(environment.Broker, TargetPlaceholder(system));
        await driver.RunOneAsync(BenchPlan.ThreeEqual, FeatureTimeout, CancellationToken.None);

        var times = new List<double>();
        for (var i = 0; i < options.SpeedupFeatures; i++)
        {
            var run = await driver.RunOneAsync(BenchPlan.ThreeEqual, FeatureTimeout, CancellationToken.None);
            if (!run.Completed)
            {
                throw new InvalidOperationException($"a speedup feature failed: {run.Reason}");
            }

            times.Add(run.EndToEndMs);
        }

        return LatencySummary.Of(times).P50;
    }

    internal static AgentSimulation Simulation(BenchSystem system, int latencyMs, int concurrency, bool git) =>
        new(TimeSpan.FromMilliseconds(latencyMs), concurrency, git, Path.Combine(system.Folder, "agents"));

    /// <summary>With git excluded nothing reads the repository: a path that names the benchmark is enough.</summary>
    internal static string TargetPlaceholder(BenchSystem system) => Path.Combine(system.Folder, "bench-target.git");

    private static async Task<string> TargetRepositoryAsync(BenchSystem system, bool git) =>
        git
            ? await SimulatedGitWork.CreateTargetRepositoryAsync(Path.Combine(system.Folder, "forge"), CancellationToken.None)
            : TargetPlaceholder(system);
}
