using System.CommandLine;
using System.CommandLine.Help;
using Orchestrator.Cli.Commands;
using Spectre.Console;

namespace Orchestrator.Cli.CommandLine;

/// <summary>
/// The CLI's command tree: the global <c>--api</c>, <c>--api-key</c> and <c>--help</c> options and the subcommands in the order the
/// help lists them. Built per run, because the API handler and settings are per run in tests.
/// </summary>
internal sealed class OrchestratorRootCommand : RootCommand
{
    /// <summary>
    /// Response files are off: System.CommandLine would otherwise read <c>--request @team</c> as "expand file team".
    /// </summary>
    public static ParserConfiguration ParserConfiguration { get; } = new() { ResponseFileTokenReplacer = null };

    /// <param name="terminal">The terminal stdout is, if it is one; commands then draw tables.</param>
    public OrchestratorRootCommand(CliSettings settings, HttpMessageHandler? handler, IAnsiConsole? terminal)
        : base("turn a feature request on a git repository into one pull request")
    {
        var api = ApiAddressOption.Create(settings);
        var key = ApiKeyOption.Create(settings);

        // Replaces the defaults: the CLI has no --version, and its help has its own layout and aliases.
        Options.Clear();
        Options.Add(api);
        Options.Add(key);
        Options.Add(new HelpOption("--help", "-h")
        {
            Description = $"Show help; '{HelpText.ProgramName} <command> --help' shows a command's options",
            Action = new HelpTextAction(),
        });

        var connection = new ApiConnection(api, key, handler, settings, terminal);
        Subcommands.Add(new SubmitCommand(connection));
        Subcommands.Add(new WatchCommand(connection));
        Subcommands.Add(new StatusCommand(connection));
        Subcommands.Add(new ShowCommand(connection));
        Subcommands.Add(new ListCommand(connection));
        Subcommands.Add(new CancelCommand(connection));
        Subcommands.Add(new LogsCommand(connection));
        Subcommands.Add(new ApproveCommand(connection));
        Subcommands.Add(new RejectCommand(connection));
    }
}
