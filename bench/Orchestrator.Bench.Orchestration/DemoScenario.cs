using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Orchestrator.Bench.Orchestration;

/// <summary>
/// The real demo feature — the scripted model, real clones, builds, tests and consolidation — run exactly as
/// <c>./run.sh --once</c> runs it (the AppHost and every service), on the benchmark's broker. Submit → PR is read
/// afterwards from the feature's own record in the state file (its <c>SubmittedAt</c> and the time it completed),
/// not from the CLI's polling.
/// </summary>
internal static class DemoScenario
{
    public static async Task<DemoResult> RunAsync(BenchEnvironment environment, string label)
    {
        var load = Machine.LoadAverage();
        var state = Directory.CreateTempSubdirectory("orchestrator-bench-demo-").FullName;
        try
        {
            var start = new ProcessStartInfo("bash", [Path.Combine(environment.RepositoryRoot, "run.sh"), "--once", "--state", state])
            {
                WorkingDirectory = environment.RepositoryRoot,
                UseShellExecute = false,
            };
            start.Environment["ConnectionStrings__messaging"] = environment.Broker.ToString();
            var memory = new ServiceMemorySampler(environment.RepositoryRoot);
            memory.ExcludeRunning();
            using var run = Process.Start(start) ?? throw new InvalidOperationException("./run.sh did not start.");
            using var stopSampling = new CancellationTokenSource();
            var sampling = memory.RunAsync(TimeSpan.FromMilliseconds(500), stopSampling.Token);
            await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(20));
            await stopSampling.CancelAsync();
            await sampling;
            var demo = await ReadFeatureAsync(Path.Combine(state, "state", "orchestrator.db"), label)
                ?? throw new InvalidOperationException($"./run.sh exited {run.ExitCode} and left no feature in its state file.");
            return demo with { LoadAverageAtStart = load, PeakResidentMegabytes = memory.Peaks };
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    internal static async Task<DemoResult?> ReadFeatureAsync(string stateFile, string label)
    {
        if (!File.Exists(stateFile))
        {
            return null;
        }

        await using var connection = new SqliteConnection($"Data Source={stateFile};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT current_state, data FROM sagas ORDER BY updated_at DESC LIMIT 1";
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        using var data = JsonDocument.Parse(reader.GetString(1));
        var submitted = Property(data.RootElement, "SubmittedAt").GetDateTimeOffset();
        var updated = Property(data.RootElement, "UpdatedAt").GetDateTimeOffset();
        return new DemoResult(label, DateTimeOffset.UtcNow, reader.GetString(0), Math.Round((updated - submitted).TotalSeconds, 1));
    }

    private static JsonElement Property(JsonElement element, string name) =>
        element.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
}
