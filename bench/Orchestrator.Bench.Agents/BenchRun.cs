using Orchestrator.Workspaces;

namespace Orchestrator.Bench.Agents;

/// <summary>One run of the console harness: the system started once, the scenarios one after another, the system stopped.</summary>
internal static class BenchRun
{
    public const string ScriptedModel = "scripted demo model, not an AI";

    public static async Task<AgentBenchResults> RunAsync(
        string root, AgentBenchOptions options, string? llm, IReadOnlyList<Scenario> scenarios, ProcessRunner processes, IRepositoryCommandRunner sandbox)
    {
        var ranAt = DateTimeOffset.UtcNow;
        var work = Directory.CreateTempSubdirectory("orchestrator-agents-bench-work-").FullName;
        var results = new List<ScenarioResult>();
        try
        {
            await using var system = await SystemUnderTest.StartAsync(root, llm, options.Llm is null ? null : options.ApiKeyVariable, options.Build, processes);
            var bench = AgentBench.Create(system.Client, sandbox, processes, root, live: llm is not null, options.FeatureTimeout);
            foreach (var scenario in scenarios)
            {
                if (llm is not null || scenario.Script is not null)
                {
                    Console.Error.WriteLine($"agents bench: {scenario.Id} ...");
                }

                var result = await RunOneAsync(bench, scenario, work, options);
                Console.Error.WriteLine($"agents bench: {scenario.Id}: {ResultsTable.Verdict(result)}");
                results.Add(result);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        // Scripted runs name their script in each row; a live run's label is the system's (openai:<model>).
        var model = llm is null
            ? ScriptedModel
            : results.FirstOrDefault(r => r.Mode == ScenarioResult.Llm && r.Model.Length > 0)?.Model ?? options.Model!;
        return new AgentBenchResults(ranAt, llm is null ? ScenarioResult.Scripted : ScenarioResult.Llm, model, options.Llm?.AbsoluteUri, results);
    }

    private static async Task<ScenarioResult> RunOneAsync(AgentBench bench, Scenario scenario, string work, AgentBenchOptions options)
    {
        try
        {
            var result = await bench.RunAsync(scenario, work, CancellationToken.None);
            return result.Cost is null && options.CostOf(result.InputTokens, result.OutputTokens) is { } cost ? result with { Cost = cost } : result;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException)
        {
            // One scenario's trouble (a refused request, a feature that never ends) is its result, not the run's end.
            return ScenarioResult.NotRun(scenario, ex.Message) with { Mode = options.Llm is null ? ScenarioResult.Scripted : ScenarioResult.Llm, State = "error" };
        }
    }

    public static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Orchestrator.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException("Run from the repository: Orchestrator.sln was not found above the working directory.");
    }
}
