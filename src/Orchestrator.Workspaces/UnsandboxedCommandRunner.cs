using Microsoft.Extensions.Logging;

namespace Orchestrator.Workspaces;

/// <summary>
/// <c>Sandbox:Mode=none</c>: repository commands run as plain child processes of the service (scrubbed environment,
/// timeout, output cap, nothing more): they can read what the service can read and reach what it can reach. Every run
/// logs a warning and its result says <see cref="RepositoryCommandResult.Sandboxed"/> = false.
/// </summary>
public sealed partial class UnsandboxedCommandRunner(ProcessRunner processes, ILogger<UnsandboxedCommandRunner> logger)
    : IRepositoryCommandRunner
{
    public async Task<RepositoryCommandResult> RunAsync(RepositoryCommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        LogUnsandboxed(logger, request.Command.ToString(), request.WorkspaceDirectory);
        var result = await processes.RunAsync(
            new ProcessSpec(request.Command.FileName, request.Command.Arguments, request.WorkspaceDirectory)
            {
                Timeout = request.Limits.Timeout,
                MaxOutputChars = request.Limits.MaxOutputChars,
            },
            cancellationToken);
        return new RepositoryCommandResult(result.ExitCode, result.Output, result.TimedOut, result.Duration)
        {
            Killed = result.TimedOut,
            Sandboxed = false,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Sandbox:Mode=none: running {Command} in {Workspace} WITHOUT a sandbox; it sees what this service sees")]
    private static partial void LogUnsandboxed(ILogger logger, string command, string workspace);
}
