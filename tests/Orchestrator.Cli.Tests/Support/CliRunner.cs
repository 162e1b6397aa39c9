using Spectre.Console.Testing;

namespace Orchestrator.Cli.Tests.Support;

/// <summary>Runs the CLI in-process with captured output and settings short enough for tests.</summary>
internal static class CliRunner
{
    // Tests never read the developer's real ORCHESTRATOR_API or ORCHESTRATOR_API_KEY.
    public static CliSettings FastSettings { get; } = WithEnvironment();

    /// <summary>The fast settings, with these environment variables and no others.</summary>
    public static CliSettings WithEnvironment(params (string Name, string Value)[] variables) => new()
    {
        NotFoundGrace = TimeSpan.FromSeconds(3),
        GiveUpAfter = TimeSpan.FromMilliseconds(500),
        RetryDelay = TimeSpan.FromMilliseconds(20),
        RequestTimeout = TimeSpan.FromSeconds(10),
        GetEnvironmentVariable = name => variables.FirstOrDefault(v => v.Name == name).Value,
    };

    public static async Task<CliResult> RunAsync(string[] args, HttpMessageHandler? handler = null, CliSettings? settings = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exitCode = await CliApp.RunAsync(
            args, stdout, stderr, handler, settings ?? FastSettings, TestContext.Current.CancellationToken);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// Runs the CLI as if stdout were an interactive terminal: tables go to a TestConsole (wide enough that rows do not
    /// wrap), plain writes to stdout as usual. Every redraw of a live table lands in <see cref="CliResult.Terminal"/>.
    /// </summary>
    public static async Task<CliResult> RunInTerminalAsync(string[] args, CliSettings? settings = null)
    {
        using var terminal = new TestConsole().Interactive().Width(200);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exitCode = await CliApp.RunAsync(
            args, stdout, stderr, settings: settings ?? FastSettings, cancellationToken: TestContext.Current.CancellationToken, terminal: terminal);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString(), terminal.Output);
    }
}
