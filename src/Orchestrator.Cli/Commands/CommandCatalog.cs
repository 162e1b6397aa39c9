namespace Orchestrator.Cli.Commands;

/// <summary>All subcommands, in the order the help lists them.</summary>
internal static class CommandCatalog
{
    public static IReadOnlyList<ICommand> All { get; } =
    [
        new SubmitCommand(),
        new WatchCommand(),
        new StatusCommand(),
        new ListCommand(),
        new CancelCommand(),
    ];
}
