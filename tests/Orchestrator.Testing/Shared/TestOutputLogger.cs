using Microsoft.Extensions.Logging;

namespace Orchestrator.Tests.Support;

/// <summary>Routes logs to the current test's output, so a failing test shows what the agent did.</summary>
internal sealed class TestOutputLoggerProvider(ITestOutputHelper? output) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TestOutputLogger(output, categoryName);

    public void Dispose()
    {
    }

    private sealed class TestOutputLogger(ITestOutputHelper? output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) =>
            output is not null && logLevel >= (category.StartsWith("MassTransit", StringComparison.Ordinal) ? LogLevel.Warning : LogLevel.Information);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            try
            {
                output!.WriteLine($"[{logLevel}] {category}: {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}");
            }
            catch (InvalidOperationException)
            {
                // The test already finished; a late log line from a background thread has nowhere to go.
            }
        }
    }
}
