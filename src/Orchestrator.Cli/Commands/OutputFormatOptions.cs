using System.CommandLine;
using Orchestrator.Cli.CommandLine;
using Orchestrator.Cli.Output;
using Spectre.Console;

namespace Orchestrator.Cli.Commands;

/// <summary><c>--json</c> and <c>--plain</c>, for the commands that draw a table in a terminal.</summary>
internal sealed class OutputFormatOptions(string jsonDescription)
{
    public FlagOption Json { get; } = new("--json", jsonDescription);

    public FlagOption Plain { get; } = new(
        "--plain", "Print lines, not a table, even in a terminal (lines are the default when stdout is not one).");

    public void AddTo(Command command)
    {
        command.Options.Add(Json);
        command.Options.Add(Plain);
    }

    /// <summary>--json wins over --plain; a table only when there is a terminal to draw it on.</summary>
    public OutputFormat Read(ParseResult parseResult, IAnsiConsole? terminal) =>
        parseResult.GetValue(Json) ? OutputFormat.Json
        : terminal is null || parseResult.GetValue(Plain) ? OutputFormat.Lines
        : OutputFormat.Table;
}
