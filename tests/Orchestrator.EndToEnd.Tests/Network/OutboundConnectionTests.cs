using System.Globalization;
using Orchestrator.EndToEnd.Tests.Network;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>
/// Issue 14, item 5: no outbound call the operator did not configure. A whole demo run, as <c>./run.sh --once</c> makes
/// it, under strace: every process it starts (the AppHost, DCP, the dashboard, the services, the CLI, git, bubblewrap and
/// the builds inside it) may connect or send only to loopback, where everything the demo is configured with lives (the
/// broker, the API, the staging repositories, the local forge is a folder). A destination elsewhere fails the test with
/// the program that asked for it.
/// </summary>
/// <remarks>
/// In the suite's collection so it runs alone, beside the shared system but not on it: the demo gets a RabbitMQ vhost
/// of its own and a state folder of its own. It keeps the demo's own ports (5080–5084 and the reviewer's 5089, the dashboard's 15888, 19888 and
/// 20888); the shared system's are random (Aspire's testing builder), so they cannot meet.
/// </remarks>
[Collection(OrchestratorCollection.Name)]
public sealed class OutboundConnectionTests
{
    private static readonly TimeSpan DemoTimeout = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task A_whole_demo_run_connects_to_nothing_but_loopback()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.True(File.Exists("/usr/bin/strace") || OrchestratorApp.Run("sh", ["-c", "command -v strace"], "/").ExitCode == 0,
            "strace is not installed: ./test.sh installs it (apt-get install strace).");
        var messaging = Environment.GetEnvironmentVariable("ConnectionStrings__messaging")
            ?? throw new InvalidOperationException("ConnectionStrings__messaging is not set: run the tests through ./test.sh.");
        var state = Directory.CreateTempSubdirectory("orchestrator-outbound-").FullName;
        var passed = false;
        try
        {
            await using var vhost = BrokerVirtualHost.Create(messaging, "outbound");
            var run = await TracedDemo.RunAsync(vhost.ConnectionString, state, DemoTimeout, ct);
            Assert.True(run.ExitCode == 0, $"the traced demo failed (exit {run.ExitCode}); trace and logs kept in {state}:\n{run.Output}");

            var log = StraceLog.Parse(File.ReadLines(run.TracePath));
            AssertTheTraceSawTheWholeDemo(log, new Uri(messaging).Port);
            Report(log, run);
            var outside = log.OutsideLoopback;
            Assert.True(outside.Count == 0,
                $"{outside.Count} of {log.Destinations.Count} connections and sends went outside loopback (trace kept in {run.TracePath}):\n"
                + StraceLog.Describe(outside));
            passed = true;
        }
        finally
        {
            if (passed)
            {
                Delete(state);
            }
        }
    }

    /// <summary>A trace that missed the services, the CLI or the sandbox would pass for the wrong reason.</summary>
    private static void AssertTheTraceSawTheWholeDemo(StraceLog log, int brokerPort)
    {
        Assert.Contains(log.Destinations, d => d.IsLoopback && d.Port == brokerPort);
        Assert.Contains(log.Destinations, d => d.IsLoopback && d.Port == 5080 && d.CommandLine.Contains("orchestrator.dll", StringComparison.Ordinal));
        foreach (var service in (string[])["Orchestrator.csproj", "Orchestrator.Agents.Coder.csproj", "Orchestrator.Agents.Tester.csproj",
                     "Orchestrator.Agents.Docs.csproj", "Orchestrator.Agents.Reviewer.csproj", "Orchestrator.Merge.csproj"])
        {
            Assert.Contains(log.Programs, program => program.Contains(service, StringComparison.Ordinal));
        }

        Assert.Contains(log.Programs, program => program.StartsWith("bwrap ", StringComparison.Ordinal) && program.EndsWith(" dotnet test --nologo", StringComparison.Ordinal));
        Assert.Contains(log.Programs, program => program.StartsWith("git ", StringComparison.Ordinal));
    }

    private static void Report(StraceLog log, TracedDemoRun run)
    {
        var calls = string.Join(", ", log.Destinations.GroupBy(d => d.Call).Select(g => $"{g.Key} {g.Count()}"));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"traced demo: {run.Took.TotalSeconds:0} s; {log.Destinations.Count} connections and sends with an address ({calls}) to " +
            $"{log.Destinations.Select(d => d.Endpoint).Distinct().Count()} endpoints; {log.Processes} processes, {log.ProgramsRun} programs run; " +
            $"outside loopback: {log.OutsideLoopback.Count}"));
    }

    private static void Delete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A demo process may still be releasing a file; the temp folder is cleaned by the OS.
        }
    }
}
