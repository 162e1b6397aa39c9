namespace Orchestrator.Workspaces;

public static class RepositoryCommandSteps
{
    /// <summary>
    /// Runs the repository's restore step (when it has one) with the network, then <paramref name="command"/> without
    /// it. Each step gets <paramref name="limits"/>. A failed restore is the result: the command does not run.
    /// </summary>
    public static async Task<RepositoryCommandResult> RunAfterRestoreAsync(
        this IRepositoryCommandRunner runner,
        string workspace,
        RepositoryCommands commands,
        RepositoryCommand command,
        RepositoryCommandLimits limits,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(commands);
        if (commands.Restore is { } restore)
        {
            var restored = await runner.RunAsync(
                new RepositoryCommandRequest(workspace, restore) { Limits = limits, AllowNetwork = true }, cancellationToken);
            if (!restored.Succeeded)
            {
                var verdict = restored.TimedOut ? "timed out" : $"failed with exit code {restored.ExitCode}";
                return restored with { Output = $"[the restore step `{restore}` {verdict}; `{command}` did not run]\n{restored.Output}" };
            }
        }

        return await runner.RunAsync(new RepositoryCommandRequest(workspace, command) { Limits = limits }, cancellationToken);
    }
}
