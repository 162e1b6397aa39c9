using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orchestrator.Workspaces;

// What the sandbox costs a task: the sample repository's restore, build and test, each in a fresh clone, run the way
// the agents run them — plain child processes (Sandbox:Mode=none) and in bubblewrap. Runs alternate between the two
// so that a busy moment of the machine does not fall on one side only.
//
//   dotnet run -c Release --project bench/Orchestrator.Bench.Sandbox [-- --runs 5]
var runs = Argument("--runs", 5);
var root = FindRepositoryRoot();
var output = Path.Combine(root, "bench", "results", "sandbox.json");
var processes = new ProcessRunner(NullLogger<ProcessRunner>.Instance);
var runners = new Dictionary<string, IRepositoryCommandRunner>
{
    ["none"] = new UnsandboxedCommandRunner(processes, NullLogger<UnsandboxedCommandRunner>.Instance),
    ["bubblewrap"] = new BubblewrapCommandRunner(processes, Options.Create(new SandboxOptions()), NullLogger<BubblewrapCommandRunner>.Instance),
};

var work = Directory.CreateTempSubdirectory("orchestrator-bench-sandbox-");
var samples = new List<Sample>();
try
{
    // The script prints the bare repository's path last.
    var created = await RunAsync("bash", [Path.Combine(root, "samples", "create-sample-repo.sh"), Path.Combine(work.FullName, "forge")], root);
    var origin = created.Trim().Split('\n')[^1].Trim();
    // One unmeasured round each: the machine's own caches (the SDK, the shared NuGet packages) are warm for both.
    foreach (var (mode, runner) in runners)
    {
        await MeasureAsync(mode, runner, origin, "warm-up");
    }

    for (var run = 1; run <= runs; run++)
    {
        foreach (var (mode, runner) in runners)
        {
            samples.AddRange(await MeasureAsync(mode, runner, origin, $"run-{run}"));
        }
    }
}
finally
{
    work.Delete(recursive: true);
}

var rows = samples.GroupBy(s => (s.Mode, s.Step)).Select(g => new Row(
    g.Key.Mode, g.Key.Step, g.Count(), g.Average(s => s.Seconds), g.Min(s => s.Seconds), g.Max(s => s.Seconds))).ToList();
Print(rows);
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
File.WriteAllText(output, JsonSerializer.Serialize(new
{
    benchmark = "sandbox",
    measuredAt = DateTimeOffset.UtcNow,
    machine = new { Environment.ProcessorCount, os = System.Runtime.InteropServices.RuntimeInformation.OSDescription },
    runs,
    note = "seconds per step in a fresh clone of samples/calculator; restore may use the network, build and test may not",
    rows,
}, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
Console.WriteLine($"\nwrote {output}");
return 0;

async Task<IReadOnlyList<Sample>> MeasureAsync(string mode, IRepositoryCommandRunner runner, string origin, string name)
{
    var workspace = Path.Combine(work.FullName, $"{mode}-{name}");
    await RunAsync("git", ["clone", "--quiet", origin, workspace], work.FullName);
    var commands = RepositoryCommands.Detect(workspace);
    var steps = new (string Step, RepositoryCommand? Command, bool Network)[]
    {
        ("restore", commands.Restore, true), ("build", commands.Build, false), ("test", commands.Test, false),
    };
    var measured = new List<Sample>();
    foreach (var (step, command, network) in steps)
    {
        var result = await runner.RunAsync(
            new RepositoryCommandRequest(workspace, command ?? throw new InvalidOperationException($"the sample has no {step} command"))
            {
                AllowNetwork = network,
            },
            CancellationToken.None);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{mode} {step} exited {result.ExitCode}:\n{result.Output}");
        }

        measured.Add(new Sample(mode, step, result.Duration.TotalSeconds));
    }

    measured.Add(new Sample(mode, "all three", measured.Sum(s => s.Seconds)));
    return measured;
}

async Task<string> RunAsync(string fileName, IReadOnlyList<string> arguments, string directory)
{
    var result = await processes.RunAsync(new ProcessSpec(fileName, arguments, directory), CancellationToken.None);
    if (!result.Succeeded)
    {
        throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited {result.ExitCode}:\n{result.Output}");
    }

    return result.Output;
}

static void Print(IReadOnlyList<Row> rows)
{
    Console.WriteLine("The sample's restore, build and test in a fresh clone, seconds");
    Console.WriteLine();
    Console.WriteLine($"{"sandbox",-11} {"step",-10} {"runs",5} {"mean",7} {"min",7} {"max",7}");
    foreach (var row in rows)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{row.Mode,-11} {row.Step,-10} {row.Runs,5} {row.Mean,7:0.00} {row.Min,7:0.00} {row.Max,7:0.00}"));
    }
}

int Argument(string name, int fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;

static string FindRepositoryRoot()
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

internal sealed record Sample(string Mode, string Step, double Seconds);

internal sealed record Row(string Mode, string Step, int Runs, double Mean, double Min, double Max);
