namespace Orchestrator.Cli.Commands;

/// <summary>What the help of <c>watch</c> and <c>submit</c> says about the watch's output and exit codes.</summary>
internal static class WatchHelp
{
    public const string Details =
        """
        In a terminal the watch is a table redrawn in place: a row per task (id, role, state, agent, elapsed, tokens),
        then the model, the feature's state, the verification and the pull request. When stdout is not a terminal
        (a pipe, a file, CI) or with --plain, it prints a time-stamped line per change instead.
        Exit code: 0 Completed with a pull request, 1 Failed, 2 Cancelled, 3 timeout or API error.
        """;
}
