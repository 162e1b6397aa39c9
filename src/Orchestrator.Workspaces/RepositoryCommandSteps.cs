namespace Orchestrator.Workspaces;

public static class RepositoryCommandSteps
{
    /// <summary>
    /// Runs the repository's restore step (when it has one) with the network, then <paramref name="command"/> without
    /// it. Each step gets <paramref name="limits"/>. A failed restore is the result: the command does not run. A runner
    /// that starts each run from nothing (<see cref="IRepositoryCommandRunner.RestoresInTheSameRun"/>) gets both in one
    /// request; <paramref name="remote"/> is how such a runner reaches the workspace.
    /// </summary>
    public static Task<RepositoryCommandResult> RunAfterRestoreAsync(
        this IRepositoryCommandRunner runner,
        string workspace,
        RepositoryCommands commands,
        RepositoryCommand command,
        RepositoryCommandLimits limits,
        CancellationToken cancellationToken) =>
        runner.RunAfterRestoreAsync(workspace, commands, command, limits, remote: null, cancellationToken);

    /// <inheritdoc cref="RunAfterRestoreAsync(IRepositoryCommandRunner, string, RepositoryCommands, RepositoryCommand, RepositoryCommandLimits, CancellationToken)"/>
    public static async Task<RepositoryCommandResult> RunAfterRestoreAsync(
        this IRepositoryCommandRunner runner,
        string workspace,
        RepositoryCommands commands,
        RepositoryCommand command,
        RepositoryCommandLimits limits,
        RemoteWorkspace? remote,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(commands);
        if (runner.RestoresInTheSameRun)
        {
            return await runner.RunAsync(
                new RepositoryCommandRequest(workspace, command)
                {
                    Limits = limits, RestoreFirst = commands.Restore, AllowNetwork = commands.Restore is not null, Remote = remote,
                },
                cancellationToken);
        }

        if (commands.Restore is { } restore)
        {
            var restored = await runner.RunAsync(
                new RepositoryCommandRequest(workspace, restore) { Limits = limits, AllowNetwork = true, Remote = remote }, cancellationToken);
            if (!restored.Succeeded)
            {
                var verdict = restored.TimedOut ? "timed out" : $"failed with exit code {restored.ExitCode}";
                return restored with { Output = $"[the restore step `{restore}` {verdict}; `{command}` did not run]\n{restored.Output}" };
            }
        }

        return await runner.RunAsync(new RepositoryCommandRequest(workspace, command) { Limits = limits, Remote = remote }, cancellationToken);
    }
}
