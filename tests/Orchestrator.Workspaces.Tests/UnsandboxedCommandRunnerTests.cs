using Microsoft.Extensions.Logging;

namespace Orchestrator.Workspaces.Tests;

public sealed class UnsandboxedCommandRunnerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Mode_none_runs_the_command_warns_on_every_run_and_says_it_was_not_sandboxed()
    {
        var workspace = _temp.CreateDirectory("workspace");
        var logger = new RecordingLogger();
        var runner = new UnsandboxedCommandRunner(Runners.Create(), logger);
        var request = new RepositoryCommandRequest(workspace, new RepositoryCommand("sh", ["-c", "echo ran >> ran.txt"]));

        var first = await runner.RunAsync(request, _ct).WaitAsync(Eventually.DefaultTimeout, _ct);
        var second = await runner.RunAsync(request, _ct).WaitAsync(Eventually.DefaultTimeout, _ct);

        Assert.True(first.Succeeded && second.Succeeded, first.Output + second.Output);
        Assert.False(first.Sandboxed);
        Assert.False(second.Sandboxed);
        Assert.Equal("ran\nran\n", File.ReadAllText(Path.Combine(workspace, "ran.txt")));
        Assert.Equal(2, logger.Warnings.Count(warning => warning.Contains("WITHOUT a sandbox", StringComparison.Ordinal)));
    }

    private sealed class RecordingLogger : ILogger<UnsandboxedCommandRunner>
    {
        private readonly List<string> _warnings = [];

        public IReadOnlyList<string> Warnings => _warnings;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                _warnings.Add(formatter(state, exception));
            }
        }
    }
}
