using Orchestrator.Cli.Api;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary>
/// Everything a command handler needs: output streams, the API client, the settings, and the terminal stdout is, if it
/// is one (null for a pipe, a file or CI).
/// </summary>
internal sealed record CommandContext(
    TextWriter Stdout,
    TextWriter Stderr,
    IAnsiConsole? Terminal,
    OrchestratorApiClient Api,
    CliSettings Settings,
    CancellationToken CancellationToken);
