namespace Orchestrator.Bench.Orchestration;

/// <summary>Every figure but the demo, in an order that keeps them apart: each starts its own system and ends it.</summary>
internal sealed class BenchRun(BenchEnvironment environment, BenchOptions options, MachineInfo machine)
{
    private readonly List<string> _notMeasured = [];

    public static BenchSettings Settings(BenchOptions options) => new(
        options.Quick, options.TaskLatencyMs, options.ThroughputTaskLatencyMs, options.ThroughputSeconds, options.InFlight,
        options.AgentConcurrency,
        "the real Orchestrator service, one process per replica from its build, on the benchmark's vhost; agents simulated in the benchmark's process");

    public async Task<BenchResults> RunAsync()
    {
        var latency = new LatencyScenarios(environment, options);
        var load = new LoadScenarios(environment, options);
        var store = options.Stores[0];

        var overhead = new List<OverheadResult>();
        foreach (var each in options.Stores)
        {
            await MeasureAsync($"overhead, git excluded, {each}", async () => overhead.Add(await latency.OverheadAsync(each, git: false, options.OverheadFeatures)));
        }

        await MeasureAsync("overhead, git included", async () => overhead.Add(await latency.OverheadAsync(store, git: true, options.GitFeatures)));

        SpeedupResult? speedup = null;
        await MeasureAsync("parallel speedup", async () => speedup = await latency.SpeedupAsync(store));

        var throughput = new List<ThroughputResult>();
        foreach (var each in options.Stores)
        {
            foreach (var replicas in new[] { 1, 2 })
            {
                await MeasureAsync($"throughput, {each}, {replicas} per role", async () => throughput.Add(await load.ThroughputAsync(each, replicas)));
            }
        }

        var memory = new List<MemoryResult>();
        await MeasureAsync("memory, services idle", async () => memory.AddRange(await load.ServicesIdleMemoryAsync()));
        await MeasureAsync("memory, orchestrator", async () => memory.Add(await load.OrchestratorMemoryAsync()));

        return new BenchResults(DateTimeOffset.UtcNow, machine, Settings(options), overhead, speedup, throughput, memory, [], _notMeasured);
    }

    private async Task MeasureAsync(string figure, Func<Task> measure)
    {
        Console.WriteLine($"measuring {figure} ...");
        try
        {
            await measure();
        }
        catch (Exception ex)
        {
            // A figure that could not be taken is reported as such, never filled in.
            Console.Error.WriteLine($"  {figure} failed: {ex.GetType().Name}: {ex.Message}");
            _notMeasured.Add($"{figure}: {ex.GetType().Name}: {ex.Message}");
        }
    }
}
