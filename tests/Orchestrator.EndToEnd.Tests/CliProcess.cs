using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Workspaces;

namespace Orchestrator.EndToEnd.Tests;

/// <summary>The orchestrator CLI run as its own process, as a user runs it, against the running system's API.</summary>
internal static class CliProcess
{
    private static readonly ProcessRunner Processes = new(NullLogger<ProcessRunner>.Instance);

    /// <summary>Starts <c>orchestrator &lt;arguments&gt;</c> with the API's address and key; the task ends when the CLI exits.</summary>
    public static Task<ProcessResult> StartAsync(Uri api, string apiKey, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken ct)
    {
        var spec = new ProcessSpec("dotnet", [CliAssembly(), .. arguments], OrchestratorApp.RepositoryRoot)
        {
            Timeout = timeout,
            Environment = new Dictionary<string, string> { ["ORCHESTRATOR_API"] = api.ToString(), ["ORCHESTRATOR_API_KEY"] = apiKey },
        };
        return Processes.RunAsync(spec, ct);
    }

    // Built beside these tests (a project reference without its assembly), in the same configuration.
    private static string CliAssembly()
    {
        var path = Path.Combine(OrchestratorApp.RepositoryRoot, "src", "Orchestrator.Cli", "bin", SourceTree.BuildConfiguration, "net10.0", "orchestrator.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("The CLI is not built; build the solution first.", path);
    }
}
