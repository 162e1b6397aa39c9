using Spectre.Console;

namespace Orchestrator.Cli.Output;

/// <summary>Decides whether stdout is a terminal a table can be drawn and redrawn on.</summary>
internal static class StdoutTerminal
{
    /// <summary>
    /// The console to draw on, or null when stdout is a pipe or a file, in CI (Spectre.Console's CI detection turns
    /// interactivity off), or on a terminal without ANSI support (TERM=dumb): those get lines.
    /// </summary>
    public static IAnsiConsole? Detect()
    {
        if (Console.IsOutputRedirected)
        {
            return null;
        }

        // Interactive = Yes rather than Detect: Detect also wants stdin and stderr unredirected, and `2>log` must not
        // cost the user the table on their screen. The CI enrichers still switch it off.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Interactive = InteractionSupport.Yes,
        });
        return console.Profile.Capabilities is { Interactive: true, Ansi: true } ? console : null;
    }
}
