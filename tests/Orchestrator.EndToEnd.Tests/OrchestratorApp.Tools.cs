using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Workspaces;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>Tools (git, dotnet, the CLI) run by tests, through the launcher the services use.</summary>
public sealed partial class OrchestratorApp
{
    private static readonly ProcessRunner Processes = new(NullLogger<ProcessRunner>.Instance);

    /// <summary>Runs a tool through the services' own launcher; blocks, as tests call it from expressions.</summary>
    public static (int ExitCode, string Text, string Stdout) Run(
        string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        // The launcher's allow-listed environment also keeps the test host's MSBuild variables out of a nested `dotnet test`.
        var spec = new ProcessSpec(fileName, [.. arguments], workingDirectory) { Timeout = TimeSpan.FromMinutes(5), Environment = environment };
        var stdout = string.Empty;
        var streams = new ProcessStreams(Stream.Null, async (output, ct) => stdout = await new StreamReader(output).ReadToEndAsync(ct));
        var result = Processes.RunAsync(spec, streams, TestContext.Current.CancellationToken).GetAwaiter().GetResult();
        if (result.TimedOut)
        {
            Assert.Fail($"{fileName} {string.Join(' ', spec.Arguments)} did not finish within 5 minutes");
        }

        return (result.ExitCode, stdout + result.Output, stdout);
    }
}
