using Orchestrator.Bench.Orchestration;

// The orchestration benchmark: the real orchestrator service on the real broker and state store, with simulated
// agents (fixed latency, no model, no builds). See docs/performance.md for what each figure means.
//
//   dotnet run -c Release --project bench/Orchestrator.Bench.Orchestration -- [--quick] [--demo] [options]
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"orchestration bench: {ex.Message}");
    return 2;
}

var machine = Machine.Describe();
var root = Infrastructure.FindRepositoryRoot();
var day = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
var resultsFolder = Path.Combine(root, "bench", "results");
var resultsFile = Path.Combine(resultsFolder, $"{day}.json");
Directory.CreateDirectory(resultsFolder);

var earlier = File.Exists(resultsFile) ? BenchResults.FromJson(File.ReadAllText(resultsFile)) : null;
var results = options.ReportOnly
    ? earlier ?? throw new InvalidOperationException($"{resultsFile} holds no results.")
    : options.Demo
        ? await WithDemoAsync(await Infrastructure.PrepareAsync(options))
        // The demo is measured on its own: the day's demo figures stay beside a new run of the others.
        : await new BenchRun(await Infrastructure.PrepareAsync(options), options, machine).RunAsync() with { Demo = earlier?.Demo ?? [] };

File.WriteAllText(resultsFile, results.ToJson());
var charts = new List<string>();
if (results.Overhead.Count > 0)
{
    charts.Add(Path.Combine(resultsFolder, $"{day}-overhead.png"));
    Chart.Write(results, charts[^1]);
}

if (results.Throughput.Count > 0)
{
    charts.Add(Path.Combine(resultsFolder, $"{day}-throughput.png"));
    Chart.WriteThroughput(results, charts[^1]);
}

var performance = Path.Combine(root, "docs", "performance.md");
var document = File.Exists(performance) ? File.ReadAllText(performance) : "# Performance\n";
File.WriteAllText(performance, Report.Rewrite(document, Report.Section(results, charts)));

Console.WriteLine();
Report.Print(results);
foreach (var missing in results.NotMeasured)
{
    Console.WriteLine($"not measured: {missing}");
}

Console.WriteLine($"\nwrote {resultsFile}, {string.Join(", ", charts)} and {performance}");
return results.NotMeasured.Count == 0 ? 0 : 1;

// The demo is run on its own (it takes minutes and the whole system); its figure joins the day's results file.
async Task<BenchResults> WithDemoAsync(BenchEnvironment environment)
{
    var demo = await DemoScenario.RunAsync(environment, options.DemoLabel);
    var baseline = earlier ?? new BenchResults(DateTimeOffset.UtcNow, machine, BenchRun.Settings(options), [], null, [], [], [], []);
    return baseline with { Demo = [.. baseline.Demo.Where(d => d.Label != demo.Label), demo] };
}
