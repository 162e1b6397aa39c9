namespace Orchestrator.Cli.Tests.Support;

/// <summary>Runs the CLI in-process with captured output and settings short enough for tests.</summary>
internal static class CliRunner
{
    public static CliSettings FastSettings { get; } = new()
    {
        NotFoundGrace = TimeSpan.FromSeconds(3),
        GiveUpAfter = TimeSpan.FromMilliseconds(500),
        RetryDelay = TimeSpan.FromMilliseconds(20),
        RequestTimeout = TimeSpan.FromSeconds(10),
        // Tests never read the developer's real ORCHESTRATOR_API.
        GetEnvironmentVariable = _ => null,
    };

    public static async Task<CliResult> RunAsync(string[] args, HttpMessageHandler? handler = null, CliSettings? settings = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exitCode = await CliApp.RunAsync(
            args, stdout, stderr, handler, settings ?? FastSettings, TestContext.Current.CancellationToken);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }
}
