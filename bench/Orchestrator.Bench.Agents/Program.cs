using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orchestrator.Bench.Agents;
using Orchestrator.Workspaces;
using Spectre.Console;

// The agent evaluation harness: each scenario's feature request through the whole system, scored against hidden
// acceptance tests. See docs/agents-bench.md.
//
//   dotnet run --project bench/Orchestrator.Bench.Agents -- [--llm URL --model NAME [--api-key-env VAR]] [--scenario ID]...
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(AgentBenchOptions.Usage);
    return 0;
}

AgentBenchOptions options;
string? llm;
IReadOnlyList<Scenario> scenarios;
var root = BenchRun.FindRepositoryRoot();
try
{
    options = AgentBenchOptions.Parse(args);
    llm = options.LlmConnectionString(Environment.GetEnvironmentVariable);
    scenarios = ScenarioCatalog.Select(ScenarioCatalog.Load(root), options.Scenarios);
}
catch (Exception ex) when (ex is ArgumentException or InvalidDataException)
{
    Console.Error.WriteLine($"agents bench: {ex.Message}");
    return 2;
}

Console.Error.WriteLine($"agents bench: {scenarios.Count} scenarios, {options}");
var processes = new ProcessRunner(NullLogger<ProcessRunner>.Instance);
var sandbox = new BubblewrapCommandRunner(processes, Options.Create(new SandboxOptions()), NullLogger<BubblewrapCommandRunner>.Instance);
AgentBenchResults results;
try
{
    results = await BenchRun.RunAsync(root, options, llm, scenarios, processes, sandbox);
}
catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
{
    // The system did not start: nothing was measured.
    Console.Error.WriteLine($"agents bench: {ex.Message}");
    return 3;
}


var file = Path.Combine(root, "bench", "results", AgentBenchResults.FileName(results.RanAt));
Directory.CreateDirectory(Path.GetDirectoryName(file)!);
File.WriteAllText(file, results.ToJson() + "\n");
if (Console.IsOutputRedirected)
{
    // A log or a pipe has no width of its own: 80 columns would fold every cell.
    AnsiConsole.Profile.Width = 180;
}

AnsiConsole.Write(ResultsTable.Build(results));
Console.WriteLine($"wrote {file}");
// Scripted runs prove the harness: one that did not come out as its script is written to is a failure of the bench.
return results.Summary.AsScriptedMisses == 0 ? 0 : 1;
