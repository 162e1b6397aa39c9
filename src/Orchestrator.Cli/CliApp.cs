using System.CommandLine;
using Orchestrator.Cli.Api;
using Orchestrator.Cli.CommandLine;
using Spectre.Console;

namespace Orchestrator.Cli;

/// <summary>
/// The whole CLI behind one testable entry point: parses, dispatches, and turns every failure into a one-line
/// message and an exit code. Nothing here writes to <see cref="Console"/> directly.
/// </summary>
/// <remarks>
/// <c>terminal</c> is the console to draw tables on when stdout is an interactive terminal (Program.cs detects it; tests
/// pass Spectre.Console's TestConsole); without one every command prints lines.
/// </remarks>
public static class CliApp
{
    public static async Task<int> RunAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        HttpMessageHandler? handler = null,
        CliSettings? settings = null,
        CancellationToken cancellationToken = default,
        IAnsiConsole? terminal = null)
    {
        args = RewriteHelpCommand(args);
        var root = new OrchestratorRootCommand(settings ?? CliSettings.Default, handler, terminal);
        var parseResult = root.Parse(args, OrchestratorRootCommand.ParserConfiguration);

        if (UsageError.Describe(parseResult, args) is { } usageError)
        {
            await stderr.WriteLineAsync($"error: {Text.OneLine(usageError)}");
            await stderr.WriteLineAsync(UsageError.Hint(parseResult));
            return ExitCodes.Error;
        }

        try
        {
            return await parseResult.InvokeAsync(Invocation(stdout, stderr), cancellationToken);
        }
        catch (OrchestratorApiException e)
        {
            await stderr.WriteLineAsync($"error: {Text.OneLine(e.Message)}");
            return ExitCodes.Error;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("interrupted");
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            // Last resort: still one line and exit 3, never a stack trace in the user's face.
            await stderr.WriteLineAsync($"error: unexpected {e.GetType().Name}: {Text.OneLine(e.Message)}");
            return ExitCodes.Error;
        }
    }

    // `orchestrator help [command]` is the same as `orchestrator [command] --help`.
    private static string[] RewriteHelpCommand(string[] args) =>
        args is ["help", .. var rest] ? [.. rest, "--help"] : args;

    private static InvocationConfiguration Invocation(TextWriter stdout, TextWriter stderr) => new()
    {
        Output = stdout,
        Error = stderr,

        // Exceptions reach the catch blocks above, which print one line instead of a stack trace.
        EnableDefaultExceptionHandler = false,

        // Program.cs owns Ctrl+C (the first stops watching cleanly, the second kills); a second handler would race it.
        ProcessTerminationTimeout = null,
    };
}
