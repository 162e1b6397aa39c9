namespace Orchestrator.Cli.Tests.Support;

/// <summary>What one CLI invocation produced; <see cref="Terminal"/> is what it drew on a TestConsole standing in for a terminal.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr, string Terminal = "")
{
    public IReadOnlyList<string> StdoutLines => Lines(Stdout);

    public IReadOnlyList<string> StderrLines => Lines(Stderr);

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
}
