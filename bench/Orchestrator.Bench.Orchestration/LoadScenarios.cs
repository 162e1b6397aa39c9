using System.Collections.Concurrent;
using System.Diagnostics;

namespace Orchestrator.Bench.Orchestration;

/// <summary>Throughput (features per second, sustained) and memory (each service idle and with features in flight).</summary>
internal sealed class LoadScenarios(BenchEnvironment environment, BenchOptions options)
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Submits features for the configured time, keeping at most <c>--in-flight</c> of them going, and counts those
    /// that ended within the time. Replicas apply to every role: the simulated agents, and the orchestrator where its
    /// store lets several share the state (PostgreSQL; SQLite is one orchestrator's file).
    /// </summary>
    public async Task<ThroughputResult> ThroughputAsync(string store, int replicas)
    {
        var orchestrators = store == "postgres" ? replicas : 1;
        await using var system = await BenchSystem.StartAsync(environment, store, orchestrators, withMerge: false);
        var simulation = LatencyScenarios.Simulation(system, options.ThroughputTaskLatencyMs, options.AgentConcurrency, git: false);
        await using var agents = new SimulatedAgents(environment.Broker, simulation, new TaskLedger());
        await agents.StartAsync(replicas);
        await using var driver = await FeatureDriver.StartAsync(environment.Broker, LatencyScenarios.TargetPlaceholder(system));
        await driver.RunOneAsync(BenchPlan.DemoShape, TimeSpan.FromMinutes(2), CancellationToken.None);

        var runs = new ConcurrentBag<FeatureRun>();
        using var slots = new SemaphoreSlim(options.InFlight);
        var outstanding = new List<Task>();
        var duration = TimeSpan.FromSeconds(options.ThroughputSeconds);
        var started = Stopwatch.GetTimestamp();
        var submitted = 0;
        while (Stopwatch.GetElapsedTime(started) < duration)
        {
            if (!await slots.WaitAsync(TimeSpan.FromMilliseconds(100)))
            {
                continue;
            }

            submitted++;
            outstanding.Add(RunAsync(driver, runs, slots));
        }

        await Task.WhenAll(outstanding).WaitAsync(DrainTimeout);
        var completed = runs.Where(r => r.Completed).ToList();
        var (rate, ramp) = SustainedRate.Of(
            [.. completed.Select(r => Stopwatch.GetElapsedTime(started, r.EndedTicks).TotalSeconds)], duration.TotalSeconds);
        return new ThroughputResult(store, replicas, orchestrators, duration.TotalSeconds, submitted, completed.Count,
            runs.Count(r => !r.Completed), Math.Round(rate, 1), Math.Round(ramp, 2),
            LatencySummary.Of([.. completed.Select(r => r.EndToEndMs)]));
    }

    /// <summary>The real agent services and the merge service idle: their own processes, started from their builds.</summary>
    public async Task<IReadOnlyList<MemoryResult>> ServicesIdleMemoryAsync()
    {
        var results = new List<MemoryResult>();
        var folder = Directory.CreateTempSubdirectory("orchestrator-bench-memory-").FullName;
        try
        {
            foreach (var (name, project) in new[]
            {
                ("coder", "Orchestrator.Agents.Coder"), ("tester", "Orchestrator.Agents.Tester"), ("docs", "Orchestrator.Agents.Docs"),
                ("merge", "Orchestrator.Merge"),
            })
            {
                results.Add(new MemoryResult(name, name == "merge" ? "merge service" : "agent service",
                    await IdleResidentMegabytesAsync(name, project, folder), null, 0));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        return results;
    }

    private async Task<double> IdleResidentMegabytesAsync(string name, string project, string folder)
    {
        await MergeBacklog.PurgeAsync(environment.Broker);
        await using var service = await ServiceProcess.StartAsync(name, environment.ServiceDll(project, project),
            new Dictionary<string, string>
            {
                ["ConnectionStrings__messaging"] = environment.Broker.ToString(),
                ["Agents__WorkRoot"] = Path.Combine(folder, name),
                ["Merge__WorkRoot"] = Path.Combine(folder, name),
                ["Merge__Staging__Root"] = Path.Combine(folder, "staging"),
            },
            Path.Combine(folder, $"{name}.log"));
        return await SettledResidentMegabytesAsync(service);
    }

    /// <summary>
    /// The orchestrator idle and with <c>--memory-features</c> features in flight: the simulated agents take every task
    /// off its queue and hold it until the orchestrator's resident memory has been read.
    /// </summary>
    public async Task<MemoryResult> OrchestratorMemoryAsync()
    {
        await using var system = await BenchSystem.StartAsync(environment, "sqlite", orchestrators: 1, withMerge: false);
        var orchestrator = system.Orchestrators[0];
        var idle = await SettledResidentMegabytesAsync(orchestrator);

        var features = options.MemoryFeatures;
        // Room for every task of every feature at once (a prefetch count is at most 65,535).
        var simulation = LatencyScenarios.Simulation(system, options.ThroughputTaskLatencyMs, Math.Min(features * 3, ushort.MaxValue), git: false);
        await using var agents = new SimulatedAgents(environment.Broker, simulation, new TaskLedger())
        {
            Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        await agents.StartAsync(replicas: 1);
        await using var driver = await FeatureDriver.StartAsync(environment.Broker, LatencyScenarios.TargetPlaceholder(system));
        var ended = new List<Task<FeatureRun>>();
        for (var i = 0; i < features; i++)
        {
            ended.Add(await driver.SubmitAsync(BenchPlan.DemoShape, CancellationToken.None));
        }

        // Every feature is planned and executing once its two independent tasks have reached the agents.
        var deadline = Stopwatch.StartNew();
        while (agents.Arrived < features * 2 && deadline.Elapsed < DrainTimeout)
        {
            await Task.Delay(100);
        }

        var loaded = orchestrator.ResidentMegabytes();
        var inFlight = driver.InFlight;
        agents.Gate.SetResult();
        await Task.WhenAll(ended).WaitAsync(DrainTimeout);
        return new MemoryResult("orchestrator", "orchestrator", idle, loaded, inFlight);
    }

    private static async Task RunAsync(FeatureDriver driver, ConcurrentBag<FeatureRun> runs, SemaphoreSlim slots)
    {
        try
        {
            var ended = await driver.SubmitAsync(BenchPlan.DemoShape, CancellationToken.None);
            runs.Add(await ended.WaitAsync(DrainTimeout));
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>The resident set a few seconds after start, once start-up's allocations have been collected.</summary>
    private static async Task<double> SettledResidentMegabytesAsync(ServiceProcess service)
    {
        await Task.Delay(TimeSpan.FromSeconds(3));
        return service.ResidentMegabytes();
    }
}
