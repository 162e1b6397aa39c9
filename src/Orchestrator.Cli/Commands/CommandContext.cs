using Orchestrator.Cli.Api;

namespace Orchestrator.Cli.Commands;

/// <summary>Everything a command handler needs: output streams, the API client and the settings.</summary>
internal sealed record CommandContext(
    TextWriter Stdout,
    TextWriter Stderr,
    OrchestratorApiClient Api,
    CliSettings Settings,
    CancellationToken CancellationToken);
