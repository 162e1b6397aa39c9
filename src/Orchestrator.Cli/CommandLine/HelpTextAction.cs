using System.CommandLine;
using System.CommandLine.Invocation;

namespace Orchestrator.Cli.CommandLine;

/// <summary>What <c>--help</c> does: writes <see cref="HelpText"/> for the command it follows.</summary>
internal sealed class HelpTextAction : SynchronousCommandLineAction
{
    // As with the built-in help: `submit --help` must work without the required --repository.
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        var command = parseResult.CommandResult.Command;
        var root = parseResult.RootCommandResult.Command;
        var text = command == root ? HelpText.General(root) : HelpText.ForCommand(command, root.Options);
        parseResult.InvocationConfiguration.Output.Write(text);
        return ExitCodes.Success;
    }
}
